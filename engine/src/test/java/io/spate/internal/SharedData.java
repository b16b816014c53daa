package io.spate.internal;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;

import io.spate.RecordBatch;

/**
 * The real data sets under {@code shared/data}, found by walking up from the working directory, and
 * helpers to turn them into batches. Tests that need a file skip (not fail) when it is absent.
 */
public final class SharedData {

    /** The NASA HTTP log: 200,000 CLF lines. */
    public static final String NASA = "nasa_http/NASA_access_log_Jul95.first200000.gz";
    /** 100 GitHub commit objects in one JSON array. */
    public static final String GITHUB = "github_commits/github-example-large.json";
    /** ATLAS Higgs CSV: a header and 4,999 CRLF rows. */
    public static final String ATLAS = "atlas_higgs_2014/train_sml_sig.csv.gz";

    private static final Map<String, List<byte[]>> LINES = new ConcurrentHashMap<>();

    private SharedData() {
    }

    /** The file under the nearest {@code shared/data} above the working directory, if there is one. */
    public static java.util.Optional<Path> find(String relative) {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("shared/data"))) {
            dir = dir.getParent();
        }
        return dir == null ? java.util.Optional.empty()
                : java.util.Optional.of(dir.resolve("shared/data").resolve(relative)).filter(Files::isRegularFile);
    }

    /** The file, or the test is skipped. */
    public static Path require(String relative) {
        java.util.Optional<Path> file = find(relative);
        assumeTrue(file.isPresent(), "no shared/data/" + relative + " above " + Path.of("").toAbsolutePath());
        return file.get();
    }

    /** The bytes of the file, gunzipped if its name ends in {@code .gz}. */
    public static byte[] bytes(String relative) {
        Path file = require(relative);
        try (InputStream in = relative.endsWith(".gz") ? new GZIPInputStream(Files.newInputStream(file), 1 << 16)
                : Files.newInputStream(file)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The lines of the file as byte arrays, split on {@code \n} (which is dropped; a {@code \r} is kept). Cached. */
    public static List<byte[]> lines(String relative) {
        return LINES.computeIfAbsent(relative, r -> splitLines(bytes(r)));
    }

    /** {@code bytes} split on {@code \n}, without a last empty line. */
    public static List<byte[]> splitLines(byte[] bytes) {
        List<byte[]> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                out.add(Arrays.copyOfRange(bytes, start, i));
                start = i + 1;
            }
        }
        if (start < bytes.length) {
            out.add(Arrays.copyOfRange(bytes, start, bytes.length));
        }
        return out;
    }

    /** A batch of the given records. */
    public static RecordBatch batch(List<byte[]> records) {
        return RecordBatch.of("test", records);
    }

    /** A batch of the given records, UTF-8 encoded. */
    public static RecordBatch batchOf(String... records) {
        List<byte[]> list = new ArrayList<>();
        for (String r : records) {
            list.add(r.getBytes(StandardCharsets.UTF_8));
        }
        return batch(list);
    }

    /** Concatenates byte arrays (test convenience). */
    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.write(p, 0, p.length);
        }
        return out.toByteArray();
    }
}
