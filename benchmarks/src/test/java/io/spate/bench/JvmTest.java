package io.spate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JvmTest {

    private final String home = System.getProperty("spate.home");

    @AfterEach
    void restoreHome() {
        if (home == null) {
            System.clearProperty("spate.home");
        } else {
            System.setProperty("spate.home", home);
        }
    }

    @Test
    void shouldGiveTheVariantsTheLaunchersJvmOptionsWithoutCommentsOrBlankLines(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("config"));
        Files.writeString(dir.resolve("config/jvm.options"), "# a comment\n\n-XX:FreqInlineSize=50\n  -Dx=1  \n#-Dy=2\n-XX:+UseSerialGC");
        System.setProperty("spate.home", dir.toString());
        assertEquals(List.of("-XX:FreqInlineSize=50", "-Dx=1", "-XX:+UseSerialGC"), Jvm.launcherOptions());
    }

    @Test
    void shouldGiveNoOptionsOutsideALauncherOrWithoutTheFile(@TempDir Path dir) {
        System.clearProperty("spate.home");
        assertEquals(List.of(), Jvm.launcherOptions());
        System.setProperty("spate.home", dir.toString());
        assertEquals(List.of(), Jvm.launcherOptions());
    }

    @Test
    void shouldReadTheShippedFile() {
        Path root = Path.of("").toAbsolutePath().getParent();
        System.setProperty("spate.home", root.toString());
        List<String> options = Jvm.launcherOptions();
        assertFalse(options.isEmpty());
        assertTrue(options.stream().allMatch(o -> o.startsWith("-XX:")), options.toString());
    }
}
