package io.spate.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The data examples, tests and benchmarks run on: files under the nearest {@code shared/data}
 * above the working directory when there is one, else what the engine jar bundles.
 */
public final class SampleData {

    /** The NASA HTTP log slice under {@code shared/data} (200,000 lines). */
    public static final String NASA_LOG = "nasa_http/NASA_access_log_Jul95.first200000.gz";
    /** The 50,000-line NASA log sample bundled in the testkit jar. */
    public static final String BUNDLED_NASA_LOG = "/io/spate/testkit/nasa-sample.log.gz";

    private SampleData() {
    }

    /** {@code shared/data/RELATIVE} found by walking up from the working directory. */
    public static Optional<Path> shared(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/data").resolve(relative);
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The NASA log lines: the shared 200,000-line file when found, else the bundled sample. */
    public static List<byte[]> nasaLog() throws IOException {
        Optional<Path> file = shared(NASA_LOG);
        try (InputStream in = file.isPresent() ? Files.newInputStream(file.get()) : SampleData.class.getResourceAsStream(BUNDLED_NASA_LOG)) {
            return Lines.read(in);
        }
    }
}
