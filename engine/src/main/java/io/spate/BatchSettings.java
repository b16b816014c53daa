package io.spate;

import java.time.Duration;
import java.util.Objects;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;

import io.spate.spi.BatchBuffers;

/**
 * When the batcher closes a batch: at {@code maxRecords} records, at {@code maxBytes} payload bytes,
 * or {@code maxLatency} after the batch's first record arrived, whichever comes first; and where
 * the batch source writes payloads ({@link #buffers()}, heap arrays unless the compute backend
 * offers staging buffers). Immutable.
 */
public final class BatchSettings {

    private final int maxRecords;
    private final long maxBytes;
    private final Duration maxLatency;
    private final BatchBuffers buffers;

    private BatchSettings(int maxRecords, long maxBytes, Duration maxLatency) {
        this(maxRecords, maxBytes, maxLatency, BatchBuffers.HEAP);
    }

    private BatchSettings(int maxRecords, long maxBytes, Duration maxLatency, BatchBuffers buffers) {
        if (maxRecords < 1) {
            throw new IllegalArgumentException("max-records must be at least 1, was " + maxRecords);
        }
        if (maxBytes < 1 || maxBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("max-bytes must be between 1 and 2 GiB, was " + maxBytes);
        }
        if (maxLatency.isNegative() || maxLatency.isZero()) {
            throw new IllegalArgumentException("max-latency must be positive, was " + maxLatency);
        }
        this.maxRecords = maxRecords;
        this.maxBytes = maxBytes;
        this.maxLatency = maxLatency;
        this.buffers = Objects.requireNonNull(buffers, "buffers");
    }

    /**
     * Reads {@code PATH.max-records}, {@code PATH.max-bytes} and {@code PATH.max-latency}; errors
     * name the full key.
     */
    public static BatchSettings create(Config config, String path) {
        try {
            return new BatchSettings(config.getInt(path + ".max-records"), config.getBytes(path + ".max-bytes"),
                    config.getDuration(path + ".max-latency"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException.BadValue(path, e.getMessage());
        }
    }

    /** Like {@link #create(Config, String)}, taking each limit missing under {@code path} from {@code defaults}. */
    public static BatchSettings create(Config config, String path, BatchSettings defaults) {
        try {
            return new BatchSettings(
                    config.hasPath(path + ".max-records") ? config.getInt(path + ".max-records") : defaults.maxRecords(),
                    config.hasPath(path + ".max-bytes") ? config.getBytes(path + ".max-bytes") : defaults.maxBytes(),
                    config.hasPath(path + ".max-latency") ? config.getDuration(path + ".max-latency") : defaults.maxLatency());
        } catch (IllegalArgumentException e) {
            throw new ConfigException.BadValue(path, e.getMessage());
        }
    }

    /** Settings with the given limits. */
    public static BatchSettings of(int maxRecords, long maxBytes, Duration maxLatency) {
        return new BatchSettings(maxRecords, maxBytes, maxLatency);
    }

    /** Most records in one batch. */
    public int maxRecords() {
        return maxRecords;
    }

    /** Most payload bytes in one batch (a single larger record makes a batch of its own). */
    public long maxBytes() {
        return maxBytes;
    }

    /** Longest a record waits in an open batch. */
    public Duration maxLatency() {
        return maxLatency;
    }

    /** A copy with another record limit. */
    public BatchSettings withMaxRecords(int value) {
        return new BatchSettings(value, maxBytes, maxLatency, buffers);
    }

    /** A copy with another byte limit. */
    public BatchSettings withMaxBytes(long value) {
        return new BatchSettings(maxRecords, value, maxLatency, buffers);
    }

    /** A copy with another latency limit. */
    public BatchSettings withMaxLatency(Duration value) {
        return new BatchSettings(maxRecords, maxBytes, value, buffers);
    }

    /** Where payloads are written: {@link BatchBuffers#HEAP} unless {@link #withBuffers} said otherwise. */
    public BatchBuffers buffers() {
        return buffers;
    }

    /** A copy whose batches are built in buffers from {@code value} (the compute backend's staging buffers). */
    public BatchSettings withBuffers(BatchBuffers value) {
        return new BatchSettings(maxRecords, maxBytes, maxLatency, value);
    }

    @Override
    public String toString() {
        return "BatchSettings[max-records=" + maxRecords + ", max-bytes=" + maxBytes + ", max-latency=" + maxLatency + "]";
    }
}
