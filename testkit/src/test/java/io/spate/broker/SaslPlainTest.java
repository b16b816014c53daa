package io.spate.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;

import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.security.JaasContext;
import org.junit.jupiter.api.Test;

/** The SASL/PLAIN settings of the embedded broker, without starting one. */
class SaslPlainTest {

    @Test
    void shouldWriteALoginThatKafkaReadsBackWithQuotesAndBackslashesInThePassword() {
        String password = "a \"quoted\" \\ secret";
        Map<String, String> client = SaslPlain.clientProperties("alice", password);

        Map<String, ?> options = JaasContext.loadClientContext(Map.of(SaslConfigs.SASL_JAAS_CONFIG,
                new Password(client.get(SaslConfigs.SASL_JAAS_CONFIG)))).configurationEntries().get(0).getOptions();

        assertEquals(Map.of("username", "alice", "password", password), options);
        assertEquals("SASL_PLAINTEXT", client.get("security.protocol"));
        assertEquals("PLAIN", client.get(SaslConfigs.SASL_MECHANISM));
    }

    @Test
    void shouldGiveTheListenerOneUserOptionPerUser() {
        String jaas = SaslPlain.listenerProperties("SASL_PLAINTEXT", Map.of("alice", "a\"b")).get("listener.name.sasl_plaintext.plain.sasl.jaas.config");

        Map<String, ?> options = JaasContext.loadClientContext(Map.of(SaslConfigs.SASL_JAAS_CONFIG, new Password(jaas)))
                .configurationEntries().get(0).getOptions();

        assertEquals(Map.of("user_alice", "a\"b"), options);
    }

    @Test
    void shouldRefuseAUserNameThatCannotBePartOfAnOptionNameAndAnEmptyPassword() {
        assertThrows(IllegalArgumentException.class, () -> BrokerSettings.create().withSaslPlain(Map.of("al ice", "secret")));
        assertThrows(IllegalArgumentException.class, () -> BrokerSettings.create().withSaslPlain(Map.of("alice", "")));
    }

    @Test
    void shouldKeepPasswordsOutOfToString() {
        BrokerSettings settings = BrokerSettings.create().withSaslPlain(Map.of("alice", "alice-secret"));

        assertFalse(settings.toString().contains("alice-secret"), settings.toString());
        assertEquals(Map.of(), settings.withSaslPlain(Map.of()).saslPlainUsers(), "an empty map turns the login off");
    }

    @Test
    void shouldGiveClientPropertiesOnlyForAKnownUserOfABrokerWithLogins() {
        EmbeddedKafkaBroker plaintext = new EmbeddedKafkaBroker(BrokerSettings.create());
        EmbeddedKafkaBroker secured = new EmbeddedKafkaBroker(BrokerSettings.create().withSaslPlain(Map.of("alice", "alice-secret")));

        assertThrows(IllegalStateException.class, () -> plaintext.clientProperties("alice"));
        assertThrows(IllegalArgumentException.class, () -> secured.clientProperties("bob"));
        assertEquals(SaslPlain.clientProperties("alice", "alice-secret"), secured.clientProperties("alice"));
    }
}
