package io.spate.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The word rule of Spate's {@code tokenize} (README, "Word count"), written out here to check the
 * engine against: a word is a run of ASCII letters, digits and {@code _} and of non-ASCII
 * characters; everything else separates words; words are lower-cased as
 * {@link String#toLowerCase(Locale) toLowerCase(Locale.ROOT)} does.
 */
final class Words {

    private Words() {
    }

    /** The lower-cased words of {@code text}, in order. */
    static List<String> of(String text) {
        List<String> words = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            while (i < text.length() && !isWordChar(text.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < text.length() && isWordChar(text.charAt(i))) {
                i++;
            }
            if (i > start) {
                words.add(text.substring(start, i).toLowerCase(Locale.ROOT));
            }
        }
        return words;
    }

    /** A surrogate is non-ASCII too, so a character beyond the BMP belongs to a word whole. */
    private static boolean isWordChar(char c) {
        return c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }
}
