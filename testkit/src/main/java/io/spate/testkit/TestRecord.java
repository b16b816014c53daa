package io.spate.testkit;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import io.spate.internal.sink.ResultEncoder;

/**
 * One record piped into a {@link PipelineTestDriver} ({@link TestInputTopic#pipeRecords}), or one
 * it wrote, with its headers: what a dead letter carries
 * ({@code spate.error.reason}, {@code spate.source.topic}, {@code spate.source.partition},
 * {@code spate.source.offset}, {@code spate.source.timestamp}, {@code spate.pipeline}, and
 * {@code spate.output} for a late record, after the record's own headers). Keys, values and
 * headers are UTF-8 text.
 *
 * @param key the record key, or {@code null}
 * @param value the record value, or {@code null}
 * @param headers the headers in the order they were added (a name written twice keeps its last value)
 * @param timestamp the record's Kafka timestamp in epoch milliseconds, or -1 for none (a record piped
 *        without one is stamped with the time it is piped, as a producer does; a record the driver
 *        wrote has none, the broker stamps it)
 */
public record TestRecord(String key, String value, Map<String, String> headers, long timestamp) {

    /** Copies the headers, keeping their order. */
    public TestRecord {
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /** A record without a timestamp. */
    public TestRecord(String key, String value, Map<String, String> headers) {
        this(key, value, headers, -1);
    }

    /** A record of {@code value} alone, to pipe: no key, no headers, no timestamp. */
    public static TestRecord of(String value) {
        return new TestRecord(null, value, Map.of());
    }

    /** A record of {@code key} and {@code value}, to pipe. */
    public static TestRecord of(String key, String value) {
        return new TestRecord(key, value, Map.of());
    }

    /** This record with timestamp {@code timestamp} (epoch milliseconds). */
    public TestRecord withTimestamp(long timestamp) {
        return new TestRecord(key, value, headers, timestamp);
    }

    /** This record with header {@code name} set to {@code value}, after its other headers. */
    public TestRecord withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.remove(name);
        more.put(name, value);
        return new TestRecord(key, this.value, more, timestamp);
    }

    /** The value of header {@code name}, or {@code null} when the record has none. */
    public String header(String name) {
        return headers.get(name);
    }

    /** Why a dead letter was rejected ({@code spate.error.reason}), e.g. {@code late}. */
    public String reason() {
        return header(ResultEncoder.REASON_HEADER);
    }

    /** The input partition a dead letter came from ({@code spate.source.partition}). */
    public int partition() {
        return Integer.parseInt(required(ResultEncoder.PARTITION_HEADER));
    }

    /** The input offset a dead letter came from ({@code spate.source.offset}). */
    public long offset() {
        return Long.parseLong(required(ResultEncoder.OFFSET_HEADER));
    }

    private String required(String name) {
        String value = header(name);
        if (value == null) {
            throw new IllegalStateException("record has no header " + name + ": " + this);
        }
        return value;
    }
}
