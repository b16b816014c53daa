package io.spate.internal.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

import io.spate.SpateSettings;

/**
 * The probe leaves every listener but a plaintext Kafka one to the clients (a plaintext broker is
 * in TlsMismatchIT): one that closes on the request, as a TLS listener does, and one not there.
 */
class TlsListenerCheckTest {

    @Test
    void shouldTakeAListenerThatClosesOnAPlaintextRequestForAnotherKind() throws Exception {
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            CompletableFuture<Void> closer = CompletableFuture.runAsync(() -> {
                try (Socket s = server.accept()) {
                    s.getInputStream().read(new byte[5]);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertEquals(TlsListenerCheck.Listener.OTHER, TlsListenerCheck.probe("127.0.0.1", server.getLocalPort(), Duration.ofSeconds(30)));
            closer.get();
        }
    }

    @Test
    void shouldLeaveAnUnreachableServerToTheClients() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        assertEquals(TlsListenerCheck.Listener.UNREACHABLE, TlsListenerCheck.probe("127.0.0.1", port, Duration.ofSeconds(5)));
        SpateSettings tls = SpateSettings.create(ConfigFactory.parseString(
                "spate.kafka { bootstrap-servers = \"127.0.0.1:" + port + "\", client-properties { \"security.protocol\" = SSL } }")
                .withFallback(ConfigFactory.load()).resolve());
        TlsListenerCheck.require(tls);
    }
}
