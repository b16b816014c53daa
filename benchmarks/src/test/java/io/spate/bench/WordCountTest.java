package io.spate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** The word-count workload's input: the request of each log line as a JSON text. */
class WordCountTest {

    @Test
    void shouldTakeTheRequestBetweenTheFirstAndLastQuote() {
        byte[] line = "h - - [01/Jul/1995:00:00:01 -0400] \"GET /images/\" HTTP/1.0\" 404 -".getBytes(StandardCharsets.US_ASCII);
        assertEquals("GET /images/\" HTTP/1.0", WordCount.text(line));
    }

    @Test
    void shouldTakeTheWholeLineWithoutTwoQuotes() {
        assertEquals("not a log line", WordCount.text("not a log line".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("one \" quote", WordCount.text("one \" quote".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void shouldWriteJsonTextsWithEscapesAndLatin1BytesAsUtf8() {
        String text = WordCount.text("h - - [t] \"GET /caf\u00e9 \"x\\y\"\u0001\" 200 1".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals("{\"text\":\"GET /caf\u00e9 \\\"x\\\\y\\\"\\u0001\"}", new String(WordCount.record(text), StandardCharsets.UTF_8));
    }
}
