package io.spate;

import java.util.Locale;

/** What a pipeline promises about its output ({@code spate.delivery}). */
public enum Delivery {
    /** Output is produced, then the input offsets are committed: after a crash some output may be written twice. */
    AT_LEAST_ONCE,
    /** Output and input offsets are written in one Kafka transaction per batch: each input record counts once. */
    EXACTLY_ONCE;

    /** The value as written in configuration: {@code at-least-once}, {@code exactly-once}. */
    public String configValue() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
