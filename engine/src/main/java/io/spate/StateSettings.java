package io.spate;

import com.typesafe.config.Config;

/**
 * What happens to running and windowed state ({@code spate.state}). Immutable; {@code withX} copies.
 *
 * @param restore whether a starting pipeline restores its state from Kafka (its running outputs and event-time changelog)
 * @param scaleOut whether pipelines with running queries run as stages, so their state is partitioned across nodes
 */
public record StateSettings(boolean restore, boolean scaleOut) {

    /** Reads {@code spate.state.*}. */
    static StateSettings create(Config config) {
        return new StateSettings(config.getBoolean("spate.state.restore"), config.getBoolean("spate.state.scale-out"));
    }

    /** A copy that restores state, or not. */
    public StateSettings withRestore(boolean value) {
        return new StateSettings(value, scaleOut);
    }

    /** A copy that scales running state out across nodes, or not. */
    public StateSettings withScaleOut(boolean value) {
        return new StateSettings(restore, value);
    }
}
