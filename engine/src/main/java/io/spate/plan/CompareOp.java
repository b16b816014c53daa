package io.spate.plan;

/** Comparison operators for filters and {@code having}. */
public enum CompareOp {
    /** equal */
    EQ("=="),
    /** not equal */
    NE("!="),
    /** less than */
    LT("<"),
    /** less than or equal */
    LE("<="),
    /** greater than */
    GT(">"),
    /** greater than or equal */
    GE(">=");

    private final String symbol;

    CompareOp(String symbol) {
        this.symbol = symbol;
    }

    /** The operator as written in configs. */
    public String symbol() {
        return symbol;
    }

    /** Parses {@code == = != <> < <= > >=}. */
    public static CompareOp parse(String s) {
        switch (s) {
            case "==": case "=": return EQ;
            case "!=": case "<>": return NE;
            case "<": return LT;
            case "<=": return LE;
            case ">": return GT;
            case ">=": return GE;
            default: throw new IllegalArgumentException("unknown comparison '" + s + "'");
        }
    }

    /** Whether {@code cmp} (the sign of left compared with right) satisfies this operator. */
    public boolean test(int cmp) {
        switch (this) {
            case EQ: return cmp == 0;
            case NE: return cmp != 0;
            case LT: return cmp < 0;
            case LE: return cmp <= 0;
            case GT: return cmp > 0;
            default: return cmp >= 0;
        }
    }
}
