package io.spate.testkit;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import io.spate.internal.sink.ResultEncoder;

/**
 * One record a {@link PipelineTestDriver} wrote, with its headers: what a dead letter carries
 * ({@code spate.error.reason}, {@code spate.source.topic}, {@code spate.source.partition},
 * {@code spate.source.offset}, {@code spate.pipeline}, and {@code spate.output} for a late record).
 * Keys, values and headers are read as UTF-8 text.
 *
 * @param key the record key, or {@code null}
 * @param value the record value, or {@code null}
 * @param headers the headers in the order they were added (a name written twice keeps its last value)
 */
public record TestRecord(String key, String value, Map<String, String> headers) {

    /** Copies the headers, keeping their order. */
    public TestRecord {
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
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
