package io.spate.broker;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The SASL/PLAIN mechanism as the embedded broker offers it: the broker properties that make a
 * listener demand it from a fixed set of users, and the properties a client logs in with. Both
 * sides are written here so that they cannot drift apart.
 */
final class SaslPlain {

    static final String MECHANISM = "PLAIN";
    static final String PROTOCOL = "SASL_PLAINTEXT";

    /** JAAS option keys are bare words: a user name becomes part of one ({@code user_NAME}). */
    private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final String LOGIN_MODULE = "org.apache.kafka.common.security.plain.PlainLoginModule required";

    private SaslPlain() {
    }

    /** Fails, naming the problem, unless {@code users} can be written as PLAIN credentials. */
    static void validate(Map<String, String> users) {
        for (Map.Entry<String, String> e : users.entrySet()) {
            if (e.getKey() == null || !USER_NAME.matcher(e.getKey()).matches()) {
                throw new IllegalArgumentException("SASL/PLAIN user name must be letters, digits, '_', '.' or '-', was '" + e.getKey() + "'");
            }
            if (e.getValue() == null || e.getValue().isEmpty()) {
                throw new IllegalArgumentException("SASL/PLAIN user '" + e.getKey() + "' needs a password");
            }
        }
    }

    /** Broker properties that make listener {@code listener} accept PLAIN logins by {@code users} only. */
    static Map<String, String> listenerProperties(String listener, Map<String, String> users) {
        StringBuilder jaas = new StringBuilder(LOGIN_MODULE);
        users.forEach((user, password) -> jaas.append(" user_").append(user).append('=').append(quoted(password)));
        jaas.append(';');
        String prefix = "listener.name." + listener.toLowerCase(Locale.ROOT) + ".";
        Map<String, String> p = new LinkedHashMap<>();
        // Scoped to the listener: the broker-wide default mechanism is GSSAPI, which needs Kerberos.
        p.put(prefix + "sasl.enabled.mechanisms", MECHANISM);
        p.put(prefix + MECHANISM.toLowerCase(Locale.ROOT) + ".sasl.jaas.config", jaas.toString());
        return p;
    }

    /** The client properties that log in as {@code user} with {@code password}. */
    static Map<String, String> clientProperties(String user, String password) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("security.protocol", PROTOCOL);
        p.put("sasl.mechanism", MECHANISM);
        p.put("sasl.jaas.config", LOGIN_MODULE + " username=" + quoted(user) + " password=" + quoted(password) + ";");
        return p;
    }

    /** A JAAS string literal: Kafka's JAAS parser reads backslash escapes inside double quotes. */
    private static String quoted(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
