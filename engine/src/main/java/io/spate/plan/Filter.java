package io.spate.plan;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps the records whose {@code column} compares to {@code literal} as {@code op} says. The
 * literal is a number for numeric columns and text for string columns (compared byte-wise).
 *
 * @param column the column compared
 * @param op the comparison
 * @param literal the value compared with, as written
 */
public record Filter(String column, CompareOp op, String literal) {

    private static final Pattern SYNTAX = Pattern.compile("\\s*([A-Za-z_][\\w.-]*)\\s*(==|!=|<>|<=|>=|=|<|>)\\s*([^=<>!\\s].*?)\\s*");

    /** Checks the parts. */
    public Filter {
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(literal, "literal");
    }

    /** Parses {@code column op literal}, e.g. {@code status >= 500} or {@code method == "GET"}. */
    public static Filter parse(String text) {
        Matcher m = SYNTAX.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("cannot parse filter '" + text + "' (expected: column op value, e.g. status >= 500)");
        }
        String lit = m.group(3);
        if (lit.length() >= 2 && (lit.startsWith("\"") && lit.endsWith("\"") || lit.startsWith("'") && lit.endsWith("'"))) {
            lit = lit.substring(1, lit.length() - 1);
        }
        return new Filter(m.group(1), CompareOp.parse(m.group(2)), lit);
    }

    /** The literal as a long; throws if it is not an integer. */
    public long longLiteral() {
        return Long.parseLong(literal.trim());
    }

    /** The literal as a double; throws if it is not a number. */
    public double doubleLiteral() {
        return Double.parseDouble(literal.trim());
    }

    /** The literal as UTF-8 bytes. */
    public byte[] bytesLiteral() {
        return literal.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return column + " " + op.symbol() + " " + literal;
    }
}
