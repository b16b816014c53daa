package io.spate.testkit;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** Reads line files (plain or gzip) as byte arrays, one per line, for loading topics. */
public final class Lines {

    private Lines() {
    }

    /** The lines of {@code in} (gzip detected by its magic bytes), without terminators; empty lines are dropped. */
    public static List<byte[]> read(InputStream in) throws IOException {
        try (InputStream buffered = new BufferedInputStream(in, 1 << 16)) {
            buffered.mark(2);
            boolean gzip = buffered.read() == 0x1f && buffered.read() == 0x8b;
            buffered.reset();
            try (InputStream data = gzip ? new GZIPInputStream(buffered, 1 << 16) : buffered) {
                return split(data.readAllBytes());
            }
        }
    }

    /** Splits on {@code \n}, dropping a {@code \r} before it; bytes are kept as they are (no charset). */
    public static List<byte[]> split(byte[] all) {
        List<byte[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= all.length; i++) {
            if (i == all.length || all[i] == '\n') {
                int end = i > start && all[i - 1] == '\r' ? i - 1 : i;
                if (end > start) {
                    lines.add(Arrays.copyOfRange(all, start, end));
                }
                start = i + 1;
            }
        }
        return lines;
    }
}
