package io.spate.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** How to start another JVM like this one: same java, same class path, the launchers' JVM options. */
final class Jvm {

    private Jvm() {
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static String classPath() {
        return System.getProperty("java.class.path");
    }

    /**
     * The JVM options Spate's launchers give every Spate JVM: {@code config/jvm.options} under the
     * launcher's {@code spate.home}, one option a line, {@code #} for comments. None when this JVM
     * was not started by a launcher (no {@code spate.home}) or the file is not there.
     */
    static List<String> launcherOptions() {
        String home = System.getProperty("spate.home");
        if (home == null) {
            return List.of();
        }
        Path file = Path.of(home, "config", "jvm.options");
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        try {
            return Files.readAllLines(file).stream().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
