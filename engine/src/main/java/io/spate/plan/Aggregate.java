package io.spate.plan;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One aggregate of a query: a function over a column (none for {@code count}), named {@code alias}
 * in the output.
 *
 * @param fn the function
 * @param column the input column, or {@code null} for {@code count}
 * @param alias the output field name
 */
public record Aggregate(AggFn fn, String column, String alias) {

    private static final Pattern SYNTAX = Pattern.compile(
            "\\s*(\\w+)\\s*(?:\\(\\s*([\\w.*-]*)\\s*\\))?\\s*(?:(?i:as)\\s+([\\w.-]+))?\\s*");

    /** Checks the parts. */
    public Aggregate {
        Objects.requireNonNull(fn, "fn");
        Objects.requireNonNull(alias, "alias");
        if (fn != AggFn.COUNT && (column == null || column.isBlank())) {
            throw new IllegalArgumentException(fn.name().toLowerCase(Locale.ROOT) + " needs a column");
        }
        if (fn == AggFn.COUNT) {
            column = null;
        }
    }

    /** {@code count} named {@code alias}. */
    public static Aggregate count(String alias) {
        return new Aggregate(AggFn.COUNT, null, alias);
    }

    /** {@code sum(column)} named {@code alias}. */
    public static Aggregate sum(String column, String alias) {
        return new Aggregate(AggFn.SUM, column, alias);
    }

    /** {@code min(column)} named {@code alias}. */
    public static Aggregate min(String column, String alias) {
        return new Aggregate(AggFn.MIN, column, alias);
    }

    /** {@code max(column)} named {@code alias}. */
    public static Aggregate max(String column, String alias) {
        return new Aggregate(AggFn.MAX, column, alias);
    }

    /** {@code mean(column)} named {@code alias}. */
    public static Aggregate mean(String column, String alias) {
        return new Aggregate(AggFn.MEAN, column, alias);
    }

    /**
     * Parses {@code count}, {@code count(*) as n}, {@code sum(bytes) as bytes}, {@code mean(x)}...;
     * without {@code as}, the alias is the function name ({@code count}) or {@code fn_column}.
     */
    public static Aggregate parse(String text) {
        Matcher m = SYNTAX.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("cannot parse aggregate '" + text + "' (expected e.g. count as requests, sum(bytes) as bytes)");
        }
        AggFn fn;
        try {
            fn = AggFn.valueOf(m.group(1).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown aggregate function '" + m.group(1) + "' (count, sum, min, max, mean)");
        }
        String column = m.group(2);
        if (column != null && (column.isEmpty() || column.equals("*"))) {
            column = null;
        }
        String alias = m.group(3);
        if (alias == null) {
            alias = fn == AggFn.COUNT ? "count" : fn.name().toLowerCase(Locale.ROOT) + "_" + column;
        }
        return new Aggregate(fn, column, alias);
    }

    @Override
    public String toString() {
        return fn.name().toLowerCase(Locale.ROOT) + (column == null ? "" : "(" + column + ")") + " as " + alias;
    }
}
