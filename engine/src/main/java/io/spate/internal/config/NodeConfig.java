package io.spate.internal.config;

import java.io.File;
import java.util.List;
import java.util.Map;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValueFactory;

/**
 * Loads a node's configuration from Typesafe Config's own layers, highest first:
 * <ol>
 *   <li>the command line: {@code --set KEY=VALUE}, and {@code --bootstrap} over a {@code --set} of the same key;</li>
 *   <li>system properties ({@code -Dspate.batch.max-records=7}; {@link ConfigFactory#systemProperties()});</li>
 *   <li>environment overrides ({@code CONFIG_FORCE_spate_batch_max__records=7};
 *       {@link ConfigFactory#systemEnvironmentOverrides()});</li>
 *   <li>the pipeline file ({@code --config});</li>
 *   <li>{@code application.conf} on the class path;</li>
 *   <li>the few Pekko settings a standalone node needs (SLF4J logging, our own SIGTERM handling);</li>
 *   <li>every {@code reference.conf}.</li>
 * </ol>
 * This is {@link ConfigFactory#load()}'s order with the pipeline file above {@code application.conf}
 * and the command line on top; unlike {@code load()}, environment overrides are always on.
 */
public final class NodeConfig {

    private static final Config NODE_DEFAULTS = ConfigFactory.parseMap(Map.of(
            "pekko.loggers", List.of("org.apache.pekko.event.slf4j.Slf4jLogger"),
            "pekko.logging-filter", "org.apache.pekko.event.slf4j.Slf4jLoggingFilter",
            "pekko.loglevel", "INFO",
            "pekko.log-dead-letters-during-shutdown", "off",
            // The node drains its pipelines on SIGTERM itself, then terminates the system.
            "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook", "off"), "spate node defaults");

    private NodeConfig() {
    }

    /**
     * The configuration of a node.
     *
     * @param file a HOCON file, or {@code null}
     * @param bootstrap Kafka bootstrap servers, or {@code null} to keep the configured ones
     * @param sets {@code KEY=VALUE} overrides; a value that is not valid HOCON is taken as a string
     */
    public static Config load(File file, String bootstrap, List<String> sets) {
        return load(parse(file), bootstrap, sets);
    }

    /** The configuration of a node whose pipelines are in {@code config} (already parsed). */
    public static Config load(Config config, String bootstrap, List<String> sets) {
        return load(config, bootstrap, sets,
                ConfigFactory.systemProperties(), ConfigFactory.systemEnvironmentOverrides());
    }

    /** {@link #load(Config, String, List)} with the system-property and environment layers given. */
    static Config load(Config pipelines, String bootstrap, List<String> sets, Config systemProperties, Config environmentOverrides) {
        return commandLine(bootstrap, sets)
                .withFallback(systemProperties)
                .withFallback(environmentOverrides)
                .withFallback(pipelines)
                .withFallback(ConfigFactory.defaultApplication())
                .withFallback(NODE_DEFAULTS)
                .withFallback(ConfigFactory.defaultReference())
                .resolve();
    }

    /** The pipeline file, or an empty config for none. */
    static Config parse(File file) {
        if (file == null) {
            return ConfigFactory.empty();
        }
        if (file.isDirectory()) {
            throw new ConfigException.Generic("config file " + file + " is a directory, not a file");
        }
        if (!file.isFile()) {
            throw new ConfigException.Generic("config file " + file + " does not exist");
        }
        return ConfigFactory.parseFile(file, ConfigParseOptions.defaults().setAllowMissing(false));
    }

    /** {@code --set} overrides, the last of a key winning, under {@code --bootstrap}. */
    private static Config commandLine(String bootstrap, List<String> sets) {
        Config overrides = ConfigFactory.empty();
        for (String set : sets) {
            overrides = override(set).withFallback(overrides);
        }
        if (bootstrap != null) {
            overrides = overrides.withValue("spate.kafka.bootstrap-servers", ConfigValueFactory.fromAnyRef(bootstrap));
        }
        return overrides;
    }

    /** One {@code KEY=VALUE} as a config. */
    static Config override(String set) {
        int eq = set.indexOf('=');
        if (eq <= 0) {
            throw new ConfigException.Generic("--set expects KEY=VALUE, got '" + set + "'");
        }
        String key = set.substring(0, eq).trim();
        String value = set.substring(eq + 1).trim();
        try {
            return ConfigFactory.parseString(key + " = " + value, ConfigParseOptions.defaults().setOriginDescription("--set"));
        } catch (ConfigException e) {
            try {
                return ConfigFactory.empty().withValue(key, ConfigValueFactory.fromAnyRef(value));
            } catch (ConfigException bad) {
                throw new ConfigException.Generic("--set " + set + ": bad key '" + key + "'", bad);
            }
        }
    }
}
