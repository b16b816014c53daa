package io.spate.plan;

import java.time.Duration;
import java.util.Objects;

/**
 * Event-time windows over a timestamp column (epoch seconds, milliseconds or microseconds: see
 * {@link Unit}; milliseconds unless set), as Flink and Kafka Streams
 * define them: a record at time {@code t} belongs to every window {@code [start, start + size)}
 * with {@code start} a multiple of {@code advance} and {@code start <= t < start + size}. Tumbling
 * windows have {@code advance == size}; hopping windows a smaller advance that divides the size.
 *
 * <p>Time advances per input partition: the watermark of a partition is the largest timestamp seen
 * in it so far minus {@code outOfOrderness}. A window is closed for a partition once
 * {@code end - 1 + allowedLateness <= watermark}; a record of that partition arriving for a closed
 * window is late: it is not counted there, and a record late for all its windows goes to the
 * dead-letter topic with the reason {@code late}. Because lateness depends only on the order of
 * records within their own partition, which records count is the same whatever the batch
 * boundaries, the interleaving of partitions, or restarts.
 *
 * <p>A window's state is dropped once the watermarks of all partitions seen are past its close by
 * {@code retention} (as Kafka Streams' window retention); from then on a record for it is late on
 * every partition. So the promise above holds while the partitions' event times stay within
 * {@code retention} of each other.
 *
 * <p>Whatever the column's unit, times are read as epoch milliseconds (microseconds rounded down),
 * so window starts and ends, watermarks and durations are milliseconds. A time that does not fit
 * in milliseconds (seconds beyond {@code Long.MAX_VALUE / 1000}) is never on time: like any time
 * beyond about 146,000 years from the epoch, its record goes to the dead-letter topic as late,
 * rather than wrapping around.
 *
 * <p>The column may also be a string column of ISO-8601 / RFC 3339 date-times with an offset
 * ({@code 1995-07-01T00:00:01-04:00}, {@code 1995-07-01 04:00:01.5Z}) or of CLF times
 * ({@code 01/Jul/1995:00:00:01 -0400}, bare or in brackets); {@code unit} does not apply to it. A
 * string that is neither is never on time either.
 *
 * @param column the timestamp column (a long column of epoch time in {@code unit}, or a string column of date-times)
 * @param size the window length
 * @param advance how far consecutive windows start apart ({@code size} for tumbling windows)
 * @param outOfOrderness how far behind the largest timestamp seen a record may come and still be on time
 * @param allowedLateness how long after its watermark a window still accepts records
 * @param retention how long after it closed everywhere a window's state is kept
 * @param unit the unit of the column's epoch times
 */
public record Window(String column, Duration size, Duration advance, Duration outOfOrderness, Duration allowedLateness,
                     Duration retention, Unit unit) {

    /** The unit of a time column's epoch times. */
    public enum Unit {
        /** Epoch seconds (Unix time). */
        SECONDS,
        /** Epoch milliseconds (Kafka record timestamps, Java's {@code currentTimeMillis}). */
        MILLIS,
        /** Epoch microseconds. */
        MICROS;

        /**
         * {@code time} in this unit as epoch milliseconds (microseconds rounded down), or
         * {@code outOfRange} when that does not fit in a long.
         */
        public long toMillis(long time, long outOfRange) {
            switch (this) {
                case SECONDS:
                    return time > Long.MAX_VALUE / 1000 || time < Long.MIN_VALUE / 1000 ? outOfRange : time * 1000;
                case MICROS:
                    return Math.floorDiv(time, 1000L);
                default:
                    return time;
            }
        }
    }

    /** The retention of windows unless set: one day, Kafka Streams' default. */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(1);

    /** Name of the key column holding each window's start (epoch milliseconds). */
    public static final String START = "window_start";
    /** Name of the key column holding each window's end, exclusive (epoch milliseconds). */
    public static final String END = "window_end";

    /** Checks the durations. */
    public Window {
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(unit, "unit");
        positive(size, "size");
        positive(advance, "advance");
        notNegative(outOfOrderness, "out-of-orderness");
        notNegative(allowedLateness, "allowed-lateness");
        notNegative(retention, "retention");
        if (size.toMillis() % advance.toMillis() != 0) {
            throw new IllegalArgumentException("window advance " + advance + " must divide its size " + size);
        }
        if (size.toMillis() / advance.toMillis() > 1000) {
            throw new IllegalArgumentException("window of " + size + " advancing by " + advance
                    + " puts each record in more than 1000 windows");
        }
    }

    /** Windows on a column of epoch milliseconds. */
    public Window(String column, Duration size, Duration advance, Duration outOfOrderness, Duration allowedLateness,
                  Duration retention) {
        this(column, size, advance, outOfOrderness, allowedLateness, retention, Unit.MILLIS);
    }

    /** Tumbling windows of {@code size} on the records' Kafka timestamps ({@link RecordMetadata#TIMESTAMP}), as Kafka Streams windows by default. */
    public static Window tumbling(Duration size) {
        return tumbling(RecordMetadata.TIMESTAMP, size);
    }

    /** Tumbling windows of {@code size} on {@code column}, no out-of-orderness, no lateness. */
    public static Window tumbling(String column, Duration size) {
        return new Window(column, size, size, Duration.ZERO, Duration.ZERO, DEFAULT_RETENTION);
    }

    /** Hopping windows of {@code size} starting every {@code advance} on {@code column}. */
    public static Window hopping(String column, Duration size, Duration advance) {
        return new Window(column, size, advance, Duration.ZERO, Duration.ZERO, DEFAULT_RETENTION);
    }

    /** This window with the watermark {@code outOfOrderness} behind the largest timestamp. */
    public Window withOutOfOrderness(Duration outOfOrderness) {
        return new Window(column, size, advance, outOfOrderness, allowedLateness, retention, unit);
    }

    /** This window accepting records {@code allowedLateness} after the watermark passed its end. */
    public Window withAllowedLateness(Duration allowedLateness) {
        return new Window(column, size, advance, outOfOrderness, allowedLateness, retention, unit);
    }

    /** This window keeping its state {@code retention} after it closed on every partition seen. */
    public Window withRetention(Duration retention) {
        return new Window(column, size, advance, outOfOrderness, allowedLateness, retention, unit);
    }

    /** This window reading its column's times in {@code unit} (epoch seconds, say) instead of milliseconds. */
    public Window withUnit(Unit unit) {
        return new Window(column, size, advance, outOfOrderness, allowedLateness, retention, unit);
    }

    /** Whether windows do not overlap. */
    public boolean tumbling() {
        return size.equals(advance);
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.toMillis() <= 0) {
            throw new IllegalArgumentException("window " + name + " must be at least 1 ms, not " + d);
        }
    }

    private static void notNegative(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException("window " + name + " cannot be negative: " + d);
        }
    }
}
