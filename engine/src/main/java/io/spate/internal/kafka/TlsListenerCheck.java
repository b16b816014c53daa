package io.spate.internal.kafka;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.typesafe.config.ConfigException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.utils.Utils;

import io.spate.SpateSettings;

/**
 * Catches Kafka clients set up for TLS ({@code security.protocol} SSL or SASL_SSL) that would meet a
 * plaintext listener. The clients do not fail there: they log "terminated during authentication"
 * and retry until their own timeouts, a minute later. A plaintext Kafka listener answers a
 * plaintext ApiVersions request and a TLS one does not (it takes the request for a broken TLS
 * record and closes), so one such request, a few bytes written by hand, tells them apart in
 * milliseconds. A bootstrap server that cannot be reached is left to the clients to report.
 */
public final class TlsListenerCheck {

    /** How long the probe waits to connect, and then for an answer. */
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final short API_VERSIONS = 18;
    private static final int CORRELATION_ID = 0x5ba7e;
    private static final byte[] CLIENT_ID = "spate-tls-check".getBytes(StandardCharsets.US_ASCII);

    private TlsListenerCheck() {
    }

    /** What a bootstrap server said to a plaintext request. */
    enum Listener {
        /** it answered as a Kafka broker does */
        PLAINTEXT,
        /** it took the connection but did not answer as a plaintext broker (a TLS listener, say) */
        OTHER,
        /** no connection */
        UNREACHABLE
    }

    /**
     * Fails if the settings' clients speak TLS and the first bootstrap server that takes a
     * connection is a plaintext listener.
     *
     * @throws ConfigException saying which server and what to change
     */
    public static void require(SpateSettings settings) {
        String protocol = tlsProtocol(settings);
        if (protocol == null) {
            return;
        }
        for (String server : settings.bootstrapServers().split(",")) {
            String s = server.trim();
            Listener listener = probe(Utils.getHost(s), Utils.getPort(s), TIMEOUT);
            if (listener == Listener.PLAINTEXT) {
                throw new ConfigException.Generic("TLS handshake with " + s + " failed: the listener is plaintext (security.protocol = "
                        + protocol + " in spate.kafka); give the broker's TLS listener, or security.protocol = "
                        + (protocol.equals("SSL") ? "PLAINTEXT" : "SASL_PLAINTEXT"));
            }
            if (listener == Listener.OTHER) {
                return;
            }
        }
    }

    /** The TLS protocol a client of these settings uses (SSL or SASL_SSL), or null if none does. */
    private static String tlsProtocol(SpateSettings settings) {
        for (Map<String, String> properties : List.of(settings.clientProperties(), settings.consumerProperties(),
                settings.producerProperties())) {
            String p = properties.getOrDefault(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT").trim().toUpperCase(Locale.ROOT);
            if (p.equals("SSL") || p.equals("SASL_SSL")) {
                return p;
            }
        }
        return null;
    }

    /** Sends {@code host:port} an ApiVersions request (v0) in plaintext and says whether a Kafka broker answered it. */
    static Listener probe(String host, int port, Duration timeout) {
        try (Socket socket = new Socket()) {
            try {
                socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            } catch (IOException e) {
                return Listener.UNREACHABLE;
            }
            socket.setSoTimeout((int) timeout.toMillis());
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            // Request header v1 (api key, api version, correlation id, client id); an ApiVersions v0 body is empty.
            out.writeInt(2 + 2 + 4 + 2 + CLIENT_ID.length);
            out.writeShort(API_VERSIONS);
            out.writeShort(0);
            out.writeInt(CORRELATION_ID);
            out.writeShort(CLIENT_ID.length);
            out.write(CLIENT_ID);
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            int size = in.readInt();
            return size >= 4 && size < 1 << 20 && in.readInt() == CORRELATION_ID ? Listener.PLAINTEXT : Listener.OTHER;
        } catch (IOException e) {
            return Listener.OTHER;
        }
    }
}
