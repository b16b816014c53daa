package io.spate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What {@code spate bench --rounds} reports of several runs of a variant, and its ratios, without running any. */
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
    void shouldTakeRatiosWithinRounds() {
        // The machine slowed down between rounds: each round's pair says 0.5, whatever the medians.
        List<VariantResult> ceiling = List.of(run(1.0), run(4.0), run(2.0));
        List<VariantResult> spate = List.of(run(2.0), run(8.0), run(4.0));
        assertEquals(0.5, BenchCommand.ratio(spate, ceiling), 1e-9);
        // Rounds where either failed do not count; of an even number of ratios, the lower middle one.
        List<VariantResult> withFailures = Arrays.asList(run(2.0), null, run(8.0), run(2.0));
        List<VariantResult> reference = Arrays.asList(run(1.0), run(1.0), run(2.0), null);
        assertEquals(0.25, BenchCommand.ratio(withFailures, reference), 1e-9);
        assertEquals(Double.NaN, BenchCommand.ratio(spate, null));
        assertEquals(Double.NaN, BenchCommand.ratio(Arrays.asList((VariantResult) null), ceiling));
    }

    @Test
    void shouldRefuseFewerThanOneRoundOrNegativeWarmUps() {
        assertNotEquals(0, new CommandLine(new BenchCommand()).execute("--rounds", "0"));
        assertNotEquals(0, new CommandLine(new BenchCommand()).execute("--warm-up-reads", "-1"));
    }

    /** A million records in {@code seconds}. */
    private static VariantResult run(double seconds) {
        return new VariantResult("spate-cpu", 1_000_000, 100_000_000, seconds, Double.NaN, seconds, 1, 1);
    }
}
