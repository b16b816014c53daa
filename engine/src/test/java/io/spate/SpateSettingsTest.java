package io.spate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

class SpateSettingsTest {

    private static SpateSettings settings(String hocon) {
        return SpateSettings.create(ConfigFactory.parseString(hocon).withFallback(ConfigFactory.load()).resolve());
    }

    private static String badKey(String hocon) {
        ConfigException e = assertThrows(ConfigException.class, () -> settings(hocon));
        return e.getMessage();
    }

    @Test
    void shouldReadEveryKeyIntoTypedSubSettings() {
        SpateSettings s = settings("""
                spate.delivery = exactly-once
                spate.node-id = node-7
                spate.source { mode = batch, drain-timeout = 5s }
                spate.starting-offset = latest
                spate.state { restore = false, scale-out = true }
                spate.output { create-topics = false, partitions = 6, replication-factor = 3 }
                spate.dead-letter-suffix = "-bad"
                spate.idle-check-interval = 2s
                spate.compute { backend = cpu, in-flight = 4, timeout = 1 minute, inject-fault-every = 9 }
                """);
        assertEquals(Delivery.EXACTLY_ONCE, s.delivery());
        assertTrue(s.exactlyOnce());
        assertEquals("node-7", s.nodeId());
        assertTrue(s.namedNode());
        assertEquals(new SourceSettings(SourceSettings.Mode.BATCH, Duration.ofSeconds(5), Pipeline.StartingOffset.LATEST, false), s.source());
        assertEquals(new StateSettings(false, true), s.state());
        assertEquals(new OutputSettings(false, 6, 3, "-bad", Duration.ofSeconds(2), 2, Duration.ZERO), s.output());
        assertEquals(new ComputeSettings("cpu", 4, Duration.ofMinutes(1), 9), s.compute());
        assertEquals(4, s.inFlight());
    }

    @Test
    void shouldLayerClientConsumerAndProducerProperties() {
        SpateSettings s = settings("""
                spate.kafka.bootstrap-servers = "k1:9092,k2:9092"
                spate.kafka.client-properties { "security.protocol" = SASL_PLAINTEXT }
                spate.kafka.consumer-properties { "fetch.min.bytes" = 1 }
                """);
        assertEquals("SASL_PLAINTEXT", s.consumerProperties().get("security.protocol"));
        assertEquals("SASL_PLAINTEXT", s.producerProperties().get("security.protocol"));
        assertEquals("k1:9092,k2:9092", s.consumerProperties().get("bootstrap.servers"));
        assertEquals("1", s.consumerProperties().get("fetch.min.bytes"));
        assertFalse(s.producerProperties().containsKey("fetch.min.bytes"));

        SpateSettings replaced = s.withClientProperties(Map.of("security.protocol", "SSL")).withBootstrapServers("k3:9093");
        assertEquals("SSL", replaced.consumerProperties().get("security.protocol"));
        assertEquals("k3:9093", replaced.producerProperties().get("bootstrap.servers"));
        assertEquals("SASL_PLAINTEXT", s.clientProperties().get("security.protocol"), "a copy leaves the original alone");
    }

    @Test
    void shouldBoundTheBrokersWaitOnAFetchUnlessTheUserSetsIt() {
        // A partition still behind waits on the broker's hold of a fetch for the caught-up ones: 100 ms, not Kafka's 500.
        assertEquals("100", settings("").consumerProperties().get("fetch.max.wait.ms"));
        assertEquals("250", settings("spate.kafka.consumer-properties { \"fetch.max.wait.ms\" = 250 }").consumerProperties()
                .get("fetch.max.wait.ms"));
        assertEquals("10000", settings("spate.kafka.consumer-properties { \"fetch.max.wait.ms\" = 250 }").consumerProperties()
                .get("max.poll.records"), "the other defaults stay");
    }

    @Test
    void shouldCopyWithEverySettingAJavaUserSets() {
        SpateSettings s = settings("")
                .withDelivery(Delivery.EXACTLY_ONCE)
                .withNodeId("a")
                .withBackend("cpu")
                .withInFlight(3)
                .withComputeTimeout(Duration.ofSeconds(9))
                .withConsumerProperties(Map.of("max.poll.records", "7"))
                .withProducerProperties(Map.of("linger.ms", "0"))
                .withState(new StateSettings(false, false))
                .withOutput(settings("").output().withPartitions(2))
                .withSource(settings("").source().withDrainTimeout(Duration.ofSeconds(1)))
                .withBatch(BatchSettings.of(10, 1000, Duration.ofMillis(5)));
        assertEquals(Delivery.EXACTLY_ONCE, s.delivery());
        assertEquals("a", s.nodeId());
        assertEquals("cpu", s.compute().backend());
        assertEquals(3, s.inFlight());
        assertEquals(Duration.ofSeconds(9), s.computeTimeout());
        assertEquals("7", s.consumerProperties().get("max.poll.records"));
        assertEquals("0", s.producerProperties().get("linger.ms"));
        assertFalse(s.state().restore());
        assertEquals(2, s.output().partitions());
        assertEquals(Duration.ofSeconds(1), s.source().drainTimeout());
        assertEquals(10, s.batch().maxRecords());
    }

    @Test
    void shouldFailNamingTheKey() {
        assertTrue(badKey("spate.delivery = twice").contains("spate.delivery"));
        assertTrue(badKey("spate.delivery = twice").contains("at-least-once or exactly-once"));
        assertTrue(badKey("spate.source.mode = kafka").contains("spate.source.mode"));
        assertTrue(badKey("spate.starting-offset = middle").contains("spate.starting-offset"));
        assertTrue(badKey("spate.compute.in-flight = 0").contains("spate.compute.in-flight"));
        assertTrue(badKey("spate.compute.backend = \"GPU!\"").contains("spate.compute.backend"));
        assertTrue(badKey("spate.output.partitions = 0").contains("spate.output.partitions"));
        assertTrue(badKey("spate.kafka.bootstrap-servers = \"\"").contains("spate.kafka.bootstrap-servers"));
        assertTrue(badKey("spate.kafka.consumer-properties { max.poll.records = 5 }").contains("quote dotted names"));
        assertTrue(badKey("spate { delivery = exactly-once, source.mode = connector }").contains("exactly-once needs spate.source.mode = batch"));
        assertTrue(badKey("spate.output.emit-interval = -1s").contains("spate.output.emit-interval"));
        assertTrue(badKey("spate.output.emit-interval = 2m").contains("shorter than spate.source.drain-timeout"));
        assertEquals(Duration.ofSeconds(1), settings("spate.output.emit-interval = 1s").output().emitInterval());
        assertEquals(Duration.ZERO, settings("").output().emitInterval(), "each batch's results by default");
        ConfigException e = assertThrows(ConfigException.class, () -> settings("").withInFlight(0));
        assertTrue(e.getMessage().contains("spate.compute.in-flight"), e.getMessage());
        Config unnamed = ConfigFactory.load();
        assertFalse(SpateSettings.create(unnamed).namedNode());
        assertFalse(SpateSettings.create(unnamed).nodeId().isBlank(), "the host name stands in for an unnamed node");
    }

    @Test
    void shouldRefuseBootstrapServersThatAreNotHostAndPort() {
        for (String bad : new String[] {"localhost", "host:notaport", "k1:9092,k2", ":9092", "host:70000"}) {
            String msg = badKey("spate.kafka.bootstrap-servers = \"" + bad + "\"");
            assertTrue(msg.contains("spate.kafka.bootstrap-servers") && msg.contains("is not HOST:PORT"), msg);
        }
        assertEquals("[::1]:9092, k2:9093", settings("spate.kafka.bootstrap-servers = \"[::1]:9092, k2:9093\"").bootstrapServers());
    }

    @Test
    void shouldRefuseAnUnknownNodeKeyNamingTheClosestKnownOne() {
        String msg = badKey("spate.batch.max-record = 10");
        assertTrue(msg.contains("spate.batch.max-record: unknown key; did you mean max-records?"), msg);
        msg = badKey("spate.delivry = exactly-once");
        assertTrue(msg.contains("spate.delivry: unknown key; did you mean delivery?"), msg);
        msg = badKey("spate.compute.in_flight = 3");
        assertTrue(msg.contains("spate.compute.in_flight: unknown key; did you mean in-flight?"), msg);
        msg = badKey("spate.batch.max-records = ten");
        assertTrue(msg.contains("'spate.batch.max-records': expected number, was \"ten\""), msg);
        msg = badKey("spate.gpu.enabled = on");
        assertTrue(msg.contains("spate.gpu: unknown key; known keys: batch, compute"), "no spate-gpu on the engine's class path: " + msg);
    }

    @Test
    void shouldTakeAnyEntryOfTheFreeFormSectionsAndAnyKeyOutsideSpate() {
        SpateSettings s = settings("""
                spate.kafka.client-properties { "security.protocol" = SSL }
                spate.kafka.producer-properties { "compression.type" = zstd }
                spate.compute.dispatcher.thread-pool-executor.core-pool-size-min = 2
                spate.models.anything = "some/file"
                other-app.setting = 1
                """);
        assertEquals("SSL", s.clientProperties().get("security.protocol"));
    }

    @Test
    void shouldLeaveKeysSetAsJvmSystemPropertiesAlone() {
        Config launcher = ConfigFactory.parseMap(Map.of("spate.home", "/opt/spate"), "system properties");
        assertEquals(2, SpateSettings.create(launcher.withFallback(ConfigFactory.load()).resolve()).inFlight());
    }
}
