package io.spate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What {@code spate bench --rounds} reports of several runs of a variant, without running any. */
class BenchCommandTest {

    @Test
    void shouldStandForTheRoundsWithTheMedianRate() {
        VariantResult slow = run(10.0);
        VariantResult middle = run(5.0);
        VariantResult fast = run(2.0);
        assertEquals(middle, BenchCommand.median(List.of(fast, slow, middle)));
        assertEquals(slow, BenchCommand.median(List.of(fast, slow)), "of two, the slower");
        assertEquals(fast, BenchCommand.median(List.of(fast)));
    }

    @Test
    void shouldRefuseFewerThanOneRound() {
        assertNotEquals(0, new CommandLine(new BenchCommand()).execute("--rounds", "0"));
    }

    /** A million records in {@code seconds}. */
    private static VariantResult run(double seconds) {
        return new VariantResult("spate-cpu", 1_000_000, 100_000_000, seconds, Double.NaN, seconds, 1, 1);
    }
}
