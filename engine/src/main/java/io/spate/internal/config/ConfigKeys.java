package io.spate.internal.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;

/**
 * Refuses configuration keys nothing reads, so that a typo ({@code group_by}, {@code max-record})
 * fails with its full key and the closest known one instead of being silently ignored.
 */
public final class ConfigKeys {

    /** JVM system properties are the whole process's (the launcher's {@code -Dspate.home}), not a Spate file's. */
    private static final String SYSTEM_PROPERTIES = "system properties";

    private ConfigKeys() {
    }

    /**
     * Fails on the first key of {@code object} (found at {@code at}) that is not in {@code known}.
     *
     * @throws ConfigException.BadValue naming {@code at.KEY}, the closest known key, or all of them
     */
    public static void only(ConfigObject object, String at, Collection<String> known) {
        for (Map.Entry<String, ConfigValue> e : object.entrySet()) {
            if (!known.contains(e.getKey())) {
                throw unknown(e.getValue().origin(), at, e.getKey(), known);
            }
        }
    }

    /**
     * Fails on the first key under {@code root} of {@code config} that {@code reference} does not
     * have, looking into every object of both except those at {@code open} paths (maps of free-form
     * entries, such as Kafka properties), and except values set only as JVM system properties.
     */
    public static void within(Config config, Config reference, String root, Set<String> open) {
        if (config.hasPath(root) && reference.hasPath(root)) {
            within(config.getObject(root), reference.getObject(root), root, open);
        }
    }

    private static void within(ConfigObject object, ConfigObject reference, String at, Set<String> open) {
        for (Map.Entry<String, ConfigValue> e : object.entrySet()) {
            String path = child(at, e.getKey());
            ConfigValue ref = reference.get(e.getKey());
            if (ref == null) {
                if (!SYSTEM_PROPERTIES.equals(e.getValue().origin().description())) {
                    throw unknown(e.getValue().origin(), at, e.getKey(), reference.keySet());
                }
            } else if (!open.contains(path) && e.getValue().valueType() == ConfigValueType.OBJECT
                    && ref.valueType() == ConfigValueType.OBJECT) {
                within((ConfigObject) e.getValue(), (ConfigObject) ref, path, open);
            }
        }
    }

    /**
     * {@code e}, a value of {@code config} of the wrong type, restated with the full key
     * ({@code prefix} + the key read), the type expected and the value found:
     * {@code Invalid value at 'spate.batch.max-records': expected number, was "ten"}.
     */
    public static ConfigException wrongType(ConfigException.WrongType e, Config config, String prefix) {
        String message = e.getMessage();
        int has = message.lastIndexOf(" has type ");
        int rather = message.indexOf(" rather than ", Math.max(has, 0));
        if (has < 0 || rather < 0) {
            return e;
        }
        String key = message.substring(message.lastIndexOf(": ", has) + 2, has);
        try {
            ConfigValue value = config.getValue(key);
            String expected = message.substring(rather + " rather than ".length()).trim().toLowerCase(Locale.ROOT);
            return new ConfigException.BadValue(value.origin(), prefix + key, "expected " + expected + ", was " + value.render(), e);
        } catch (ConfigException notThere) {
            return e;
        }
    }

    private static ConfigException unknown(ConfigOrigin origin, String at, String key, Collection<String> known) {
        String closest = closest(key, known);
        String hint = closest != null ? "did you mean " + closest + "?" : "known keys: " + String.join(", ", new TreeSet<>(known));
        return new UnknownKey(origin, child(at, key) + ": unknown key; " + hint);
    }

    /** {@code at.key}, the key quoted when it is not a plain word ({@code spate.kafka.client-properties."a.b"}). */
    private static String child(String at, String key) {
        return at + "." + (key.matches("[A-Za-z0-9_-]+") ? key : ConfigUtil.quoteString(key));
    }

    /** A key nothing reads; its message starts with where it was set (file: line) and its full key. */
    private static final class UnknownKey extends ConfigException {

        private static final long serialVersionUID = 1L;

        UnknownKey(ConfigOrigin origin, String message) {
            super(origin, message);
        }
    }

    /** The known key {@code key} most likely misspells: the same but for case, {@code _} and {@code -}; else within two edits; else null. */
    static String closest(String key, Collection<String> known) {
        List<String> sorted = new ArrayList<>(new TreeSet<>(known));
        for (String k : sorted) {
            if (normal(k).equals(normal(key))) {
                return k;
            }
        }
        String best = null;
        int bestDistance = 3;
        for (String k : sorted) {
            int d = distance(normal(key), normal(k));
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return best;
    }

    private static String normal(String key) {
        return key.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
