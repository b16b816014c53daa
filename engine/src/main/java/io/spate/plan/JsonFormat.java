package io.spate.plan;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One JSON object per record. Each declared field is a dotted path into the object
 * ({@code commit.committer.name}); the column is named by the path. {@code .} alone means the
 * whole record is the value (a bare number or string). A record that is not valid JSON, or lacks a
 * declared field, or has a value of the wrong type, is malformed.
 *
 * @param fields the paths to extract, with their types
 */
public record JsonFormat(List<Field> fields) implements InputFormat {

    /** Checks the fields. */
    public JsonFormat {
        fields = List.copyOf(fields);
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("a json format needs at least one field");
        }
        Set<String> seen = new HashSet<>();
        for (Field f : fields) {
            if (!seen.add(f.name())) {
                throw new IllegalArgumentException("duplicate field '" + f.name() + "'");
            }
            if (!f.name().equals(".") && (f.name().startsWith(".") || f.name().endsWith(".") || f.name().contains(".."))) {
                throw new IllegalArgumentException("bad json path '" + f.name() + "'");
            }
        }
    }

    /** The path segments of a field name ({@code a.b.c} to {@code [a, b, c]}; {@code .} to none). */
    public static List<String> path(String fieldName) {
        return fieldName.equals(".") ? List.of() : List.of(fieldName.split("\\."));
    }

    @Override
    public List<Field> schema() {
        return fields;
    }

    @Override
    public String name() {
        return "json";
    }
}
