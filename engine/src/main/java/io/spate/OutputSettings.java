package io.spate;

import java.time.Duration;
import java.util.Objects;

import com.typesafe.config.Config;

/**
 * Where results go and how their topics are made ({@code spate.output}, {@code spate.dead-letter-suffix},
 * {@code spate.idle-check-interval}). Immutable; {@code withX} copies.
 *
 * @param createTopics whether missing output, dead-letter and changelog topics are created at start
 * @param partitions partitions of a created topic, or -1 for the broker's default
 * @param replicationFactor replication factor of a created topic, or -1 for the broker's default
 * @param deadLetterSuffix what a pipeline's first input topic is suffixed with to name its default dead-letter topic
 * @param idleCheckInterval how often a bounded run ({@code --until-idle}) checks whether everything is read and committed
 * @param batchesInFlight at-least-once: how many batches may be produced and waiting for acks at once
 * @param emitInterval zero to write each batch's results as the batch is computed; else how long
 *        results are gathered, merged into one record per key and output, and written together
 */
public record OutputSettings(boolean createTopics, int partitions, int replicationFactor, String deadLetterSuffix,
                             Duration idleCheckInterval, int batchesInFlight, Duration emitInterval) {

    /** Checks the values. */
    public OutputSettings {
        Objects.requireNonNull(deadLetterSuffix, "deadLetterSuffix");
        SettingsChecks.require(partitions > 0 || partitions == -1, "spate.output.partitions",
                "must be positive or -1 (the broker's default), was " + partitions);
        SettingsChecks.require(replicationFactor > 0 || replicationFactor == -1, "spate.output.replication-factor",
                "must be positive or -1 (the broker's default), was " + replicationFactor);
        SettingsChecks.require(idleCheckInterval.compareTo(Duration.ZERO) > 0, "spate.idle-check-interval",
                "must be positive, was " + idleCheckInterval);
        SettingsChecks.require(batchesInFlight > 0, "spate.output.batches-in-flight", "must be positive, was " + batchesInFlight);
        SettingsChecks.require(!emitInterval.isNegative(), "spate.output.emit-interval", "must be 0 (each batch) or positive, was " + emitInterval);
    }

    /** Reads the keys; a bad value fails naming its key. */
    static OutputSettings create(Config config) {
        return new OutputSettings(config.getBoolean("spate.output.create-topics"), config.getInt("spate.output.partitions"),
                config.getInt("spate.output.replication-factor"), config.getString("spate.dead-letter-suffix"),
                config.getDuration("spate.idle-check-interval"), config.getInt("spate.output.batches-in-flight"),
                config.getDuration("spate.output.emit-interval"));
    }

    /** A copy that creates missing topics, or not. */
    public OutputSettings withCreateTopics(boolean value) {
        return new OutputSettings(value, partitions, replicationFactor, deadLetterSuffix, idleCheckInterval, batchesInFlight, emitInterval);
    }

    /** A copy with another partition count for created topics. */
    public OutputSettings withPartitions(int value) {
        return new OutputSettings(createTopics, value, replicationFactor, deadLetterSuffix, idleCheckInterval, batchesInFlight, emitInterval);
    }

    /** A copy with another replication factor for created topics. */
    public OutputSettings withReplicationFactor(int value) {
        return new OutputSettings(createTopics, partitions, value, deadLetterSuffix, idleCheckInterval, batchesInFlight, emitInterval);
    }

    /** A copy with another dead-letter suffix. */
    public OutputSettings withDeadLetterSuffix(String value) {
        return new OutputSettings(createTopics, partitions, replicationFactor, value, idleCheckInterval, batchesInFlight, emitInterval);
    }

    /** A copy with another idle check interval. */
    public OutputSettings withIdleCheckInterval(Duration value) {
        return new OutputSettings(createTopics, partitions, replicationFactor, deadLetterSuffix, value, batchesInFlight, emitInterval);
    }

    /**
     * A copy that gathers results for {@code value} and writes them merged, one record per key and
     * output ({@link Duration#ZERO}: each batch's results as it is computed).
     */
    public OutputSettings withEmitInterval(Duration value) {
        return new OutputSettings(createTopics, partitions, replicationFactor, deadLetterSuffix, idleCheckInterval, batchesInFlight, value);
    }

    /** A copy that lets {@code value} batches be produced at once (at-least-once). */
    public OutputSettings withBatchesInFlight(int value) {
        return new OutputSettings(createTopics, partitions, replicationFactor, deadLetterSuffix, idleCheckInterval, value, emitInterval);
    }
}
