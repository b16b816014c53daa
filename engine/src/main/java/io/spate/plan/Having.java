package io.spate.plan;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A per-batch threshold on an aggregate: only groups whose aggregate {@code alias} compares to
 * {@code value} as {@code op} says are emitted (the tutorial's {@code traffic > 200}).
 *
 * @param alias the aggregate's output name
 * @param op the comparison
 * @param value the threshold
 */
public record Having(String alias, CompareOp op, double value) {

    private static final Pattern SYNTAX = Pattern.compile("\\s*([\\w.-]+)\\s*(==|!=|<>|<=|>=|=|<|>)\\s*(-?[0-9.eE+-]+)\\s*");

    /** Checks the parts. */
    public Having {
        Objects.requireNonNull(alias, "alias");
        Objects.requireNonNull(op, "op");
    }

    /** Parses {@code alias op number}, e.g. {@code requests > 200}. */
    public static Having parse(String text) {
        Matcher m = SYNTAX.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("cannot parse having '" + text + "' (expected e.g. requests > 200)");
        }
        return new Having(m.group(1), CompareOp.parse(m.group(2)), Double.parseDouble(m.group(3)));
    }

    /** Whether an aggregate value passes. */
    public boolean test(double aggregateValue) {
        return op.test(Double.compare(aggregateValue, value));
    }

    @Override
    public String toString() {
        return alias + " " + op.symbol() + " " + value;
    }
}
