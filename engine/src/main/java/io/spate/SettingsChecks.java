package io.spate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.typesafe.config.ConfigException;
import org.apache.kafka.common.utils.Utils;

/** The one way the settings classes refuse a value: a {@link ConfigException.BadValue} naming the key it is set with. */
final class SettingsChecks {

    private SettingsChecks() {
    }

    /** Fails naming {@code key} unless {@code ok}. */
    static void require(boolean ok, String key, String problem) {
        if (!ok) {
            throw new ConfigException.BadValue(key, problem);
        }
    }

    /**
     * Fails naming {@code key} unless {@code servers} is a comma-separated list of {@code HOST:PORT}
     * (Kafka's own syntax check, without its DNS look-up, which belongs to the client that connects).
     */
    static void hostPorts(String key, String servers) {
        for (String server : servers.split(",")) {
            String s = server.trim();
            String host = Utils.getHost(s);
            Integer port = Utils.getPort(s);
            require(host != null && !host.isEmpty() && port != null && port > 0 && port <= 65535, key,
                    "'" + s + "' is not HOST:PORT (several: HOST:PORT,HOST:PORT)");
        }
    }

    /** The constant of {@code type} that {@code value} names (any case, {@code -} for {@code _}); else fails naming {@code key}. */
    static <E extends Enum<E>> E oneOf(Class<E> type, String key, String value) {
        String wanted = value.trim().replace('-', '_');
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(wanted)) {
                return e;
            }
            names.add(e.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        throw new ConfigException.BadValue(key, "expected " + String.join(" or ", names) + ", was '" + value + "'");
    }
}
