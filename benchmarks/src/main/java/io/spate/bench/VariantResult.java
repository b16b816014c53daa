package io.spate.bench;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What one variant measured in its own JVM, printed by {@link VariantMain} as one line
 * {@code BENCH-RESULT {json}} for the harness to read.
 *
 * @param variant the variant's name
 * @param records records read
 * @param bytes value bytes read
 * @param seconds wall time from the start of consumption, its clients made on the clock (Spate.run, the ceiling's
 *     consumer, the peers' start), to caught up (everything produced and committed)
 * @param steadyRecordsPerSecond the rate between Spate's first and last batch, or of the ceiling's polls alone (NaN when
 *     not measured)
 * @param cpuSeconds CPU time of the whole process (all threads) over the run
 * @param peakHeapBytes the sum of the heap memory pools' peak usage
 * @param heapAfterGcBytes the most heap in use right after a garbage collection: what the run held live (and old garbage not yet collected)
 */
public record VariantResult(String variant, long records, long bytes, double seconds, double steadyRecordsPerSecond,
                            double cpuSeconds, long peakHeapBytes, long heapAfterGcBytes) {

    static final String PREFIX = "BENCH-RESULT ";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Records per second over {@link #seconds()}. */
    public double recordsPerSecond() {
        return records / seconds;
    }

    /** Megabytes (10^6) per second over {@link #seconds()}. */
    public double megabytesPerSecond() {
        return bytes / 1e6 / seconds;
    }

    /** CPU seconds per million records. */
    public double cpuSecondsPerMillion() {
        return cpuSeconds / records * 1e6;
    }

    String line() {
        try {
            return PREFIX + JSON.writeValueAsString(this);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static VariantResult parse(String line) {
        try {
            return JSON.readValue(line.substring(PREFIX.length()), VariantResult.class);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read a variant's result from '" + line + "'", e);
        }
    }
}
