package io.spate.gpu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.spate.SpateSettings;
import io.spate.internal.compute.Backends;
import io.spate.spi.ComputeBackend;

class GpuFallbackTest {

    private static SpateSettings settingsWith(String enabled) {
        return SpateSettings.create(with(enabled));
    }

    private static Config with(String enabled) {
        return ConfigFactory.parseString("spate.gpu.enabled = " + enabled).withFallback(ConfigFactory.load());
    }

    private static boolean gpuHere() {
        return GpuDetection.probe().available();
    }

    @Test
    void shouldRunTheCpuBackendAndLogWhyOnceWhenAutoFindsNoGpu() {
        assumeFalse(gpuHere(), "a GPU answers here; the fallback is what machines without one run");
        Logger logger = (Logger) LoggerFactory.getLogger(GpuDetection.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            GpuDetection.forget();
            for (int i = 0; i < 3; i++) {
                assertEquals("cpu", Backends.resolve(settingsWith("auto")));
                try (ComputeBackend backend = Backends.create(settingsWith("auto"))) {
                    assertEquals("cpu", backend.name());
                }
            }
            List<String> lines = appender.list.stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.startsWith("no GPU")).toList();
            assertEquals(1, lines.size(), "logged once: " + lines);
        } finally {
            logger.detachAppender(appender);
        }
    }

    @Test
    void shouldFailAtStartNamingTheKeyWhenOnFindsNoGpu() {
        assumeFalse(gpuHere(), "a GPU answers here");
        ConfigException e = assertThrows(ConfigException.class, () -> Backends.resolve(settingsWith("on")));
        assertTrue(e.getMessage().contains("spate.gpu.enabled"), e.getMessage());
        ConfigException created = assertThrows(ConfigException.class, () -> Backends.create(settingsWith("on")));
        assertTrue(created.getMessage().contains("spate.gpu.enabled"), created.getMessage());
    }

    @Test
    void shouldNeverUseTheGpuWhenOff() {
        assertEquals("cpu", Backends.resolve(settingsWith("off")));
        try (ComputeBackend backend = Backends.create(settingsWith("off"))) {
            assertEquals("cpu", backend.name());
        }
    }

    @Test
    void shouldRejectBadSettingsNamingTheKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> GpuSettings.create(with("sometimes")));
        assertTrue(e.getMessage().contains("spate.gpu.enabled"), e.getMessage());
        ConfigException cap = assertThrows(ConfigException.class,
                () -> GpuSettings.create(ConfigFactory.parseString("spate.gpu.max-device-bytes = 0").withFallback(ConfigFactory.load())));
        assertTrue(cap.getMessage().contains("spate.gpu.max-device-bytes"), cap.getMessage());
    }

    @Test
    void shouldBeFoundBeforeTheCpuProvider() {
        assertEquals("gpu", Backends.providers().get(0).name());
    }
}
