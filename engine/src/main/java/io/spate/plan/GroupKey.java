package io.spate.plan;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A group-by column and the name it takes in the output.
 *
 * @param column the input column
 * @param alias the output field name
 */
public record GroupKey(String column, String alias) {

    private static final Pattern SYNTAX = Pattern.compile("\\s*([\\w.-]+)\\s*(?:(?i:as)\\s+([\\w.-]+))?\\s*");

    /** Checks the parts. */
    public GroupKey {
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(alias, "alias");
    }

    /** Parses {@code column} or {@code column as alias}. */
    public static GroupKey parse(String text) {
        Matcher m = SYNTAX.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("cannot parse group key '" + text + "' (expected: column [as name])");
        }
        return new GroupKey(m.group(1), m.group(2) == null ? m.group(1) : m.group(2));
    }

    @Override
    public String toString() {
        return column.equals(alias) ? column : column + " as " + alias;
    }
}
