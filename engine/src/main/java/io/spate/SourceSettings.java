package io.spate;

import java.time.Duration;
import java.util.Objects;

import com.typesafe.config.Config;

/**
 * How pipelines read Kafka ({@code spate.source} and {@code spate.starting-offset}): the source
 * variant, how long a stopping source waits for its last batches to commit, and where a new
 * consumer group starts. Immutable; {@code withX} copies.
 *
 * @param mode which source reads the input
 * @param drainTimeout how long a stopping source waits for its last batches to be committed
 * @param startingOffset where a consumer group without committed offsets starts
 * @param awaitTopics whether a pipeline waits for missing source topics to be created instead of failing at start
 */
public record SourceSettings(Mode mode, Duration drainTimeout, Pipeline.StartingOffset startingOffset, boolean awaitTopics) {

    /** The source variants. */
    public enum Mode {
        /** Spate's batch-native source: one stream element per batch, copied straight into the batch buffer (the default). */
        BATCH,
        /** pekko-connectors-kafka's committable source plus a batching stage (at-least-once only). */
        CONNECTOR
    }

    /** Checks the values. */
    public SourceSettings {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(startingOffset, "startingOffset");
        SettingsChecks.require(!drainTimeout.isNegative(), "spate.source.drain-timeout", "must not be negative, was " + drainTimeout);
    }

    /** Reads {@code spate.source.*} and {@code spate.starting-offset}; a bad value fails naming its key. */
    static SourceSettings create(Config config) {
        Mode m = SettingsChecks.oneOf(Mode.class, "spate.source.mode", config.getString("spate.source.mode"));
        Pipeline.StartingOffset offset = SettingsChecks.oneOf(Pipeline.StartingOffset.class, "spate.starting-offset",
                config.getString("spate.starting-offset"));
        return new SourceSettings(m, config.getDuration("spate.source.drain-timeout"), offset,
                config.getBoolean("spate.source.await-topics"));
    }

    /** A copy with another source variant. */
    public SourceSettings withMode(Mode value) {
        return new SourceSettings(value, drainTimeout, startingOffset, awaitTopics);
    }

    /** A copy with another drain timeout. */
    public SourceSettings withDrainTimeout(Duration value) {
        return new SourceSettings(mode, value, startingOffset, awaitTopics);
    }

    /** A copy that waits for missing source topics to be created ({@code true}) or fails at start ({@code false}). */
    public SourceSettings withAwaitTopics(boolean value) {
        return new SourceSettings(mode, drainTimeout, startingOffset, value);
    }

    /** A copy with another default starting offset. */
    public SourceSettings withStartingOffset(Pipeline.StartingOffset value) {
        return new SourceSettings(mode, drainTimeout, value, awaitTopics);
    }
}
