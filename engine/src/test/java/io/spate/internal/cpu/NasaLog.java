package io.spate.internal.cpu;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.spate.internal.SharedData;

/** The NASA log parsed independently of the decoders, with a regex and Strings, for expected values. */
final class NasaLog {

    /** One request, as the regex reads it. */
    record Hit(String host, String method, String path, long status, long bytes) {
    }

    private static final Pattern LINE = Pattern.compile("^(\\S+) (\\S+) (\\S+) \\[([^\\]]+)\\] \"(.*)\" (\\d+) (\\S+)$");
    private static List<Hit> hits;

    private NasaLog() {
    }

    /** The raw lines. */
    static List<byte[]> lines() {
        return SharedData.lines(SharedData.NASA);
    }

    /** Every line parsed; strings decoded as ISO-8859-1 so each byte is one char. */
    static synchronized List<Hit> hits() {
        if (hits == null) {
            List<Hit> out = new ArrayList<>();
            for (byte[] line : lines()) {
                Matcher m = LINE.matcher(new String(line, StandardCharsets.ISO_8859_1));
                if (!m.matches()) {
                    throw new AssertionError("not CLF: " + m);
                }
                String[] words = m.group(5).split(" ", -1);
                out.add(new Hit(m.group(1), words[0], words.length > 1 ? words[1] : "",
                        Long.parseLong(m.group(6)), m.group(7).equals("-") ? 0 : Long.parseLong(m.group(7))));
            }
            hits = out;
        }
        return hits;
    }
}
