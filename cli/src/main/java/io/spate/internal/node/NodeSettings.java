package io.spate.internal.node;

import java.time.Duration;
import java.util.Objects;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;

import io.spate.internal.config.ConfigKeys;

/**
 * The standalone node's own settings ({@code spate.http}, {@code spate.node}; cli's
 * {@code reference.conf} documents them): its HTTP server and its status line. Immutable;
 * {@code withX} copies.
 *
 * @param httpEnabled whether the node serves metrics, health and its status page
 * @param httpHost the address the server binds
 * @param httpPort its port, 0 for any free one
 * @param statusInterval how often the status line is logged; zero for never
 */
public record NodeSettings(boolean httpEnabled, String httpHost, int httpPort, Duration statusInterval) {

    /** Checks the values. */
    public NodeSettings {
        Objects.requireNonNull(httpHost, "httpHost");
        if (httpPort < 0 || httpPort > 65535) {
            throw new ConfigException.BadValue("spate.http.port", "expected 0 (any free port) to 65535, was " + httpPort);
        }
        if (statusInterval.isNegative()) {
            throw new ConfigException.BadValue("spate.node.status-interval", "must be 0 (never) or positive, was " + statusInterval);
        }
    }

    /** Reads {@code spate.http.*} and {@code spate.node.*}; a bad value fails naming its key. */
    public static NodeSettings create(Config config) {
        try {
            return new NodeSettings(config.getBoolean("spate.http.enabled"), config.getString("spate.http.host"),
                    config.getInt("spate.http.port"), config.getDuration("spate.node.status-interval"));
        } catch (ConfigException.WrongType e) {
            throw ConfigKeys.wrongType(e, config, "");
        }
    }

    /** A copy serving on {@code value} (0: any free port). */
    public NodeSettings withHttpPort(int value) {
        return new NodeSettings(httpEnabled, httpHost, value, statusInterval);
    }

    /** A copy with the server on or off. */
    public NodeSettings withHttpEnabled(boolean value) {
        return new NodeSettings(value, httpHost, httpPort, statusInterval);
    }

    /** A copy logging the status line every {@code value} (zero: never). */
    public NodeSettings withStatusInterval(Duration value) {
        return new NodeSettings(httpEnabled, httpHost, httpPort, value);
    }
}
