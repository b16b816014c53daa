package io.spate.bench.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class LogLineTest {

    private static LogLine parse(String line) {
        return LogLine.parse(line.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void shouldReadHostStatusAndBytes() {
        assertEquals(new LogLine("199.72.81.55", 200, 6245),
                parse("199.72.81.55 - - [01/Jul/1995:00:00:01 -0400] \"GET /history/apollo/ HTTP/1.0\" 200 6245"));
    }

    @Test
    void shouldReadADashSizeAsZero() {
        assertEquals(new LogLine("h", 503, 0), parse("h - - [01/Jul/1995:00:00:01 -0400] \"GET / HTTP/1.0\" 503 -"));
    }

    @Test
    void shouldKeepLatin1HostBytesAndQuotesInsideTheRequest() {
        assertEquals(new LogLine("caf\u00e9.example", 404, 0),
                parse("caf\u00e9.example - - [01/Jul/1995:00:00:01 -0400] \"GET /a\"b HTTP/1.0\" 404 0"));
    }

    @Test
    void shouldRejectLinesWithoutTheCommonLogFormatShape() {
        assertNull(parse("not a log line"));
        assertNull(parse(""));
        assertNull(parse("h - - [01/Jul/1995:00:00:01 -0400] \"GET / HTTP/1.0\" abc 12"));
        assertNull(parse("h - - [01/Jul/1995:00:00:01 -0400] \"GET / HTTP/1.0\" 200 12x"));
        assertNull(parse("h - - [01/Jul/1995:00:00:01 -0400] \"GET / HTTP/1.0\" 200 99999999999999999999"));
        assertNull(parse("h - - 01/Jul/1995:00:00:01 -0400 \"GET / HTTP/1.0\" 200 1"));
        assertNull(LogLine.parse(null));
    }
}
