package io.spate.it;

import java.io.IOException;
import java.util.List;

import io.spate.testkit.SampleData;

/** The NASA HTTP log for integration tests: the shared 200,000-line file when present, else the bundled sample. */
public final class NasaLog {

    private NasaLog() {
    }

    /** The log lines, as bytes (the log has a few Latin-1 bytes). */
    public static List<byte[]> lines() throws IOException {
        return SampleData.nasaLog();
    }
}
