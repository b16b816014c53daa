package io.spate.internal.config;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;

/**
 * One level of a pipeline file ({@code source}, {@code outputs[1].window}, ...) with the keys it
 * takes, declared where it is read: making one fails on any other key, and reading a key that was
 * not declared is a bug that fails at once, so the keys a level takes and the keys read from it
 * cannot drift apart. Errors name the full key ({@code spate.pipelines[0].outputs[1].where}).
 */
final class Section {

    private final Config config;
    private final String at;
    private final Set<String> keys;

    private Section(Config config, String at, Set<String> keys) {
        this.config = config;
        this.at = at;
        this.keys = keys;
    }

    /** The level {@code config} at {@code at}, taking only {@code keys}. */
    static Section of(Config config, String at, Set<String> keys) {
        ConfigKeys.only(config.root(), at, keys);
        return new Section(config, at, keys);
    }

    /** The level {@code config} at {@code at}, taking only {@code keys}. */
    static Section of(Config config, String at, String... keys) {
        return of(config, at, Set.of(keys));
    }

    /** The full key of this level. */
    String path() {
        return at;
    }

    /** The full key of {@code key} at this level. */
    String at(String key) {
        return at + "." + key;
    }

    boolean has(String key) {
        return config.hasPath(declared(key));
    }

    /** The level under {@code key}, taking only {@code keys}. */
    Section section(String key, String... keys) {
        return of(read(key, () -> config.getConfig(key)), at(key), keys);
    }

    /** The level under {@code key}, taking only {@code keys}. */
    Section section(String key, Set<String> keys) {
        return of(read(key, () -> config.getConfig(key)), at(key), keys);
    }

    /** The list of objects under {@code key}, as they are (each is a level of its own). */
    List<? extends Config> configs(String key) {
        return read(key, () -> config.getConfigList(key));
    }

    /** The object under {@code key}, as it is (for a reader that checks its keys itself). */
    Config config(String key) {
        return read(key, () -> config.getConfig(key));
    }

    String string(String key) {
        return read(key, () -> config.getString(key));
    }

    String string(String key, String orElse) {
        return has(key) ? string(key) : orElse;
    }

    List<String> strings(String key) {
        return read(key, () -> config.getStringList(key));
    }

    boolean bool(String key, boolean orElse) {
        return has(key) ? read(key, () -> config.getBoolean(key)) : orElse;
    }

    int integer(String key, int orElse) {
        return has(key) ? read(key, () -> config.getInt(key)) : orElse;
    }

    double number(String key, double orElse) {
        return has(key) ? read(key, () -> config.getDouble(key)) : orElse;
    }

    Duration duration(String key) {
        return read(key, () -> config.getDuration(key));
    }

    Duration duration(String key, Duration orElse) {
        return has(key) ? duration(key) : orElse;
    }

    private String declared(String key) {
        if (!keys.contains(key)) {
            throw new IllegalStateException(at + " reads '" + key + "' but does not declare it among " + keys);
        }
        return key;
    }

    private interface Read<T> {
        T get();
    }

    /** Runs {@code read}, re-throwing config errors with the full key and, for a wrong type, the type expected and the value. */
    private <T> T read(String key, Read<T> read) {
        declared(key);
        try {
            return read.get();
        } catch (ConfigException.Missing e) {
            throw new ConfigException.Missing(at(key));
        } catch (ConfigException.WrongType e) {
            throw ConfigKeys.wrongType(e, config, at + ".");
        } catch (ConfigException.BadValue e) {
            throw new ConfigException.BadValue(config.getValue(key).origin(), at(key), e.getMessage(), e);
        }
    }
}
