package io.spate.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import io.spate.broker.BrokerSettings;
import io.spate.broker.EmbeddedKafkaBroker;

/** Base of the integration tests that share one embedded KRaft broker per test class. */
abstract class EmbeddedBrokerTest {

    /** The broker of the running test class. */
    static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = new EmbeddedKafkaBroker(BrokerSettings.create().withPort(0)).start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }
}
