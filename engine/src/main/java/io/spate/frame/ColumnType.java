package io.spate.frame;

import java.util.Locale;

/** The value types a column can hold. */
public enum ColumnType {
    /** 64-bit signed integers. */
    LONG,
    /** 64-bit IEEE floating point. */
    DOUBLE,
    /** Byte strings, normally UTF-8 text (kept as bytes; never decoded on the hot path). */
    UTF8;

    /** Parses {@code long}, {@code double} or {@code utf8}/{@code string} (any case). */
    public static ColumnType parse(String name) {
        switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "long": case "int": case "integer": return LONG;
            case "double": case "float": return DOUBLE;
            case "utf8": case "string": case "text": return UTF8;
            default: throw new IllegalArgumentException("unknown column type '" + name + "' (long, double or string)");
        }
    }
}
