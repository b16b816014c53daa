package io.spate.plan;

import java.util.Objects;

import io.spate.frame.ColumnType;

/**
 * A named, typed field an {@link InputFormat} decodes from each record.
 *
 * @param name the column name queries refer to
 * @param type the value type
 */
public record Field(String name, ColumnType type) {

    /** Checks the name. */
    public Field {
        Objects.requireNonNull(type, "type");
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("field name must not be empty");
        }
    }

    /** Parses {@code name} or {@code name:type}; a bare name gets {@code defaultType}. */
    public static Field parse(String spec, ColumnType defaultType) {
        int colon = spec.lastIndexOf(':');
        if (colon < 0) {
            return new Field(spec.trim(), defaultType);
        }
        return new Field(spec.substring(0, colon).trim(), ColumnType.parse(spec.substring(colon + 1)));
    }
}
