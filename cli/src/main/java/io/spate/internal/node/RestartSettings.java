package io.spate.internal.node;

import java.time.Duration;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;

/**
 * How the node restarts a failed pipeline ({@code spate.node.restart}): a backoff doubling from
 * {@code minBackoff} to {@code maxBackoff}, at most {@code maxRestarts} failures in a row.
 *
 * @param minBackoff the wait before the first restart
 * @param maxBackoff the longest wait; a run that lasted longer than this resets the count
 * @param maxRestarts failures in a row after which the node gives up (0: never restart)
 */
public record RestartSettings(Duration minBackoff, Duration maxBackoff, int maxRestarts) {

    /** Checks the values, naming the key of a bad one. */
    public RestartSettings {
        if (minBackoff.isNegative() || minBackoff.isZero()) {
            throw new ConfigException.BadValue("spate.node.restart.min-backoff", "must be positive, was " + minBackoff);
        }
        if (maxBackoff.compareTo(minBackoff) < 0) {
            throw new ConfigException.BadValue("spate.node.restart.max-backoff", "must not be below min-backoff " + minBackoff
                    + ", was " + maxBackoff);
        }
        if (maxRestarts < 0) {
            throw new ConfigException.BadValue("spate.node.restart.max-restarts", "must not be negative, was " + maxRestarts);
        }
    }

    /** Reads {@code spate.node.restart}. */
    public static RestartSettings create(Config config) {
        return new RestartSettings(config.getDuration("spate.node.restart.min-backoff"), config.getDuration("spate.node.restart.max-backoff"),
                config.getInt("spate.node.restart.max-restarts"));
    }

    /** The wait before restart number {@code attempt} (from 1): doubling from the minimum, capped at the maximum. */
    public Duration backoff(int attempt) {
        long ms = minBackoff.toMillis();
        for (int i = 1; i < attempt && ms < maxBackoff.toMillis(); i++) {
            ms *= 2;
        }
        return Duration.ofMillis(Math.min(ms, maxBackoff.toMillis()));
    }
}
