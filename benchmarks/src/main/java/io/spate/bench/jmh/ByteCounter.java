package io.spate.bench.jmh;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The payload bytes a benchmark handled, which JMH divides by the measured time and prints as a
 * secondary result named {@code bytes} (in the score's unit, {@code ops/s}, read as bytes per
 * second; divide by 10^6 for MB/s). Unlike the primary score it is not multiplied by
 * {@code @OperationsPerInvocation}, so it is the real byte rate. With one thread it counts exactly the measured invocations, give or take
 * the one JMH may run after the clock stops.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class ByteCounter {

    /** Bytes handled in the current iteration; JMH zeroes it before each iteration and reads it after. */
    public long bytes;
}
