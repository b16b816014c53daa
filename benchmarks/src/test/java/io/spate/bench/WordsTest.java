package io.spate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The word rule the word-count check holds the engine to (README, "Word count"). */
class WordsTest {

    @Test
    void shouldSplitOnAsciiPunctuationAndSpaceAndLowerCase() {
        assertEquals(List.of("get", "shuttle", "countdown", "video", "livevideo", "gif", "http", "1", "0"),
                Words.of("GET /shuttle/countdown/video/livevideo.GIF HTTP/1.0"));
    }

    @Test
    void shouldKeepDigitsAndUnderscoresInWords() {
        assertEquals(List.of("sts_71", "20tracking", "x2"), Words.of("STS_71?%20tracking&x2"));
    }

    @Test
    void shouldFindNoWordInPunctuationOrNothing() {
        assertEquals(List.of(), Words.of(""));
        assertEquals(List.of(), Words.of(" /.-?\"\t\u0001"));
    }

    @Test
    void shouldTreatEveryNonAsciiCharacterAsPartOfAWord() {
        // Non-ASCII letters lower-case; a no-break space or a C1 control joins words as the engine's byte rule does.
        assertEquals(List.of("café", "ünter", "a\u00a0b"), Words.of("CAFÉ-Ünter a\u00a0B"));
        // The NASA log's one Latin-1 byte in a request, 0x80, read as ISO-8859-1.
        String request = new String("dy \u0080?shuttle".getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.ISO_8859_1);
        assertEquals(List.of("dy", "\u0080", "shuttle"), Words.of(request));
        // A character beyond the BMP stays whole (both halves of its surrogate pair are non-ASCII).
        assertEquals(List.of("go\uD83D\uDE80go"), Words.of("GO\uD83D\uDE80GO"));
    }

    @Test
    void shouldLowerCaseAsLocaleRootDoes() {
        // Not Turkish rules: 'I' becomes 'i' whatever the default locale.
        assertEquals(List.of("istanbul"), Words.of("ISTANBUL"));
    }
}
