package io.spate.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import io.spate.cli.DemoCommand;
import io.spate.testkit.Lines;

/** The NASA HTTP log for tests: the shared 200,000-line file when present, else the bundled sample. */
public final class NasaLog {

    private NasaLog() {
    }

    /** {@code shared/data/...} found by walking up from the working directory. */
    public static Optional<Path> sharedFile(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/data").resolve(relative);
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The log lines, as bytes (the log has a few Latin-1 bytes). */
    public static List<byte[]> lines() throws IOException {
        Optional<Path> full = sharedFile("nasa_http/NASA_access_log_Jul95.first200000.gz");
        return Lines.read(full.isPresent() ? Files.newInputStream(full.get())
                : DemoCommand.class.getResourceAsStream("nasa-sample.log.gz"));
    }
}
