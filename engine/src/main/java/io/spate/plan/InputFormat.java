package io.spate.plan;

import java.util.List;
import java.util.Optional;

/**
 * How the bytes of one record are decoded into fields. Each format has a fixed schema, so a
 * {@link Plan} can be checked before any record is read.
 */
public sealed interface InputFormat permits ClfFormat, DelimitedFormat, JsonFormat {

    /** The fields this format yields, in order. */
    List<Field> schema();

    /** A short name for logs and errors. */
    String name();

    /** The field called {@code name}: one of the format's, or else a {@linkplain RecordMetadata record metadata} column. */
    default Optional<Field> field(String name) {
        Optional<Field> own = schema().stream().filter(f -> f.name().equals(name)).findFirst();
        return own.isPresent() ? own : RecordMetadata.field(name);
    }
}
