package io.spate.plan;

import java.util.Objects;

/**
 * Splits a text column into words before grouping: each record contributes one row per word, in a
 * column named {@code alias} (the cuStreamz word count). A word is a maximal run of ASCII letters,
 * digits and {@code _}, or of bytes of non-ASCII UTF-8 characters; whitespace and ASCII
 * punctuation separate words. With {@code lowercase}, words are lower-cased (ASCII in place,
 * other characters by Unicode rules).
 *
 * @param column the text column split
 * @param alias the name of the word column
 * @param lowercase whether words are lower-cased
 */
public record Tokenize(String column, String alias, boolean lowercase) {

    /** Checks the parts. */
    public Tokenize {
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(alias, "alias");
    }
}
