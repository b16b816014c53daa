package io.spate.internal.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

class NodeSettingsTest {

    @Test
    void shouldServeOnLoopbackPort8558AndLogEveryTenSecondsByDefault() {
        // Not ConfigFactory.load(): the tests' application.conf asks for a free port.
        NodeSettings s = NodeSettings.create(ConfigFactory.defaultReference());
        assertEquals(new NodeSettings(true, "127.0.0.1", 8558, Duration.ofSeconds(10)), s);
    }

    @Test
    void shouldNameTheKeyOfABadValue() {
        ConfigException port = assertThrows(ConfigException.class, () -> NodeSettings.create(
                ConfigFactory.parseString("spate.http.port = 70000").withFallback(ConfigFactory.defaultReference())));
        assertTrue(port.getMessage().contains("spate.http.port"), port.getMessage());
        ConfigException type = assertThrows(ConfigException.class, () -> NodeSettings.create(
                ConfigFactory.parseString("spate.http.enabled = sometimes").withFallback(ConfigFactory.defaultReference())));
        assertTrue(type.getMessage().contains("spate.http.enabled"), type.getMessage());
    }
}
