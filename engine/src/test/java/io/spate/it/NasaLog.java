package io.spate.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import io.spate.cli.DemoCommand;
import io.spate.internal.SharedData;
import io.spate.testkit.Lines;

/** The NASA HTTP log for integration tests: the shared 200,000-line file when present, else the bundled sample. */
public final class NasaLog {

    private NasaLog() {
    }

    /** The log lines, as bytes (the log has a few Latin-1 bytes). */
    public static List<byte[]> lines() throws IOException {
        Optional<Path> full = SharedData.find(SharedData.NASA);
        return Lines.read(full.isPresent() ? Files.newInputStream(full.get())
                : DemoCommand.class.getResourceAsStream("nasa-sample.log.gz"));
    }
}
