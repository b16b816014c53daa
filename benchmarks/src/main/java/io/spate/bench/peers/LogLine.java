package io.spate.bench.peers;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fields of a Common Log Format line that the golden signals need, parsed the way a Kafka
 * Streams user would: one precompiled regex over the decoded line.
 *
 * <p>Lines are decoded as ISO-8859-1, which maps every byte to one char, so a host with non-UTF-8
 * bytes (the NASA log has a few Latin-1 ones) keeps them all.
 *
 * @param host the client host
 * @param status the HTTP status
 * @param bytes the response size ({@code -} read as 0)
 */
record LogLine(String host, int status, long bytes) {

    /** {@code host ident authuser [time] "request" status bytes}, the request running to the last quote. */
    private static final Pattern CLF = Pattern.compile("(\\S+) \\S+ \\S+ \\[[^\\]]+\\] \".*\" (\\d{3}) (\\d+|-)");

    /** The line's fields, or null when it does not have the Common Log Format shape. */
    static LogLine parse(byte[] value) {
        if (value == null) {
            return null;
        }
        Matcher m = CLF.matcher(new String(value, StandardCharsets.ISO_8859_1));
        if (!m.matches()) {
            return null;
        }
        try {
            long size = m.group(3).equals("-") ? 0 : Long.parseLong(m.group(3));
            return new LogLine(m.group(1), Integer.parseInt(m.group(2)), size);
        } catch (NumberFormatException e) {
            // Only a size beyond Long.MAX_VALUE gets here: malformed like any other bad line.
            return null;
        }
    }
}
