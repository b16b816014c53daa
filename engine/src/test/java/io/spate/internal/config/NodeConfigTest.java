package io.spate.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ladder of a node's config, one rung per test: {@code --set} (and {@code --bootstrap}) over
 * {@code -D} over {@code CONFIG_FORCE_*} over the pipeline file over {@code application.conf} over
 * {@code reference.conf}. Each rung sets {@code spate.batch.max-records} to its own number, and
 * each test takes away the rungs above the one it shows.
 */
class NodeConfigTest {

    private static final String KEY = "spate.batch.max-records";
    private static final Config FILE = ConfigFactory.parseString(KEY + " = 5");
    private static final Config ENV = ConfigFactory.parseMap(Map.of(KEY, 4), "CONFIG_FORCE_spate_batch_max__records");
    private static final Config SYSTEM = ConfigFactory.parseMap(Map.of(KEY, 3), "-D" + KEY);
    private static final List<String> SETS = List.of(KEY + "=2");

    @BeforeEach
    void useTheTestApplicationConf() {
        System.setProperty("config.resource", "config/node-config-application.conf");
        ConfigFactory.invalidateCaches();
    }

    @AfterEach
    void clearProperties() {
        System.clearProperty("config.resource");
        System.clearProperty(KEY);
        ConfigFactory.invalidateCaches();
    }

    private static int maxRecords(List<String> sets, Config system, Config env, Config file) {
        return NodeConfig.load(file, null, sets, system, env).getInt(KEY);
    }

    @Test
    void shouldLetSetWinOverEverything() {
        assertEquals(2, maxRecords(SETS, SYSTEM, ENV, FILE));
    }

    @Test
    void shouldLetTheLastSetOfAKeyWin() {
        List<String> sets = new ArrayList<>(SETS);
        sets.add(KEY + "=1");
        assertEquals(1, maxRecords(sets, SYSTEM, ENV, FILE));
    }

    @Test
    void shouldLetBootstrapWinOverSetAndSystemProperties() {
        Config system = ConfigFactory.parseMap(Map.of("spate.kafka.bootstrap-servers", "from-d:9092"));
        Config cfg = NodeConfig.load(FILE, "from-flag:9092", List.of("spate.kafka.bootstrap-servers=from-set:9092"),
                system, ConfigFactory.empty());
        assertEquals("from-flag:9092", cfg.getString("spate.kafka.bootstrap-servers"));
    }

    @Test
    void shouldLetSystemPropertiesWinOverEnvironmentOverrides() {
        assertEquals(3, maxRecords(List.of(), SYSTEM, ENV, FILE));
    }

    @Test
    void shouldLetEnvironmentOverridesWinOverThePipelineFile() {
        assertEquals(4, maxRecords(List.of(), ConfigFactory.empty(), ENV, FILE));
    }

    @Test
    void shouldLetThePipelineFileWinOverApplicationConf() {
        assertEquals(5, maxRecords(List.of(), ConfigFactory.empty(), ConfigFactory.empty(), FILE));
    }

    @Test
    void shouldLetApplicationConfWinOverReferenceConf() {
        assertEquals(6, maxRecords(List.of(), ConfigFactory.empty(), ConfigFactory.empty(), ConfigFactory.empty()));
    }

    @Test
    void shouldFallBackToReferenceConf() {
        System.clearProperty("config.resource");
        ConfigFactory.invalidateCaches();
        assertEquals(50_000, maxRecords(List.of(), ConfigFactory.empty(), ConfigFactory.empty(), ConfigFactory.empty()));
    }

    @Test
    void shouldTakeARealSystemPropertyOverThePipelineFile() {
        System.setProperty(KEY, "3");
        ConfigFactory.invalidateCaches();
        assertEquals(3, NodeConfig.load(FILE, null, List.of()).getInt(KEY));
        assertEquals(2, NodeConfig.load(FILE, null, SETS).getInt(KEY));
    }
}
