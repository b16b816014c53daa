package io.spate.plan;

import java.util.Optional;

import io.spate.frame.ColumnType;

/**
 * The columns every format has besides its own fields: the Kafka record's metadata. A query may
 * filter, group, window and aggregate on them as on any field; a format field of the same name
 * wins. Keys and header values are strings (their bytes as they are); a record without a key, or
 * without the header, has the empty string there.
 */
public final class RecordMetadata {

    /** The record key. */
    public static final String KEY = "_key";
    /** The record timestamp (epoch milliseconds: CreateTime, or LogAppendTime as the topic says). */
    public static final String TIMESTAMP = "_timestamp";
    /** The partition the record was read from. */
    public static final String PARTITION = "_partition";
    /** The record's offset in its partition. */
    public static final String OFFSET = "_offset";
    /** The topic the record was read from. */
    public static final String TOPIC = "_topic";
    /** Prefix of a header column: {@code _header.trace-id} is the value of header {@code trace-id} (its last, if it repeats). */
    public static final String HEADER_PREFIX = "_header.";

    private RecordMetadata() {
    }

    /** The metadata column called {@code name}, if it is one. */
    public static Optional<Field> field(String name) {
        switch (name) {
            case KEY:
            case TOPIC:
                return Optional.of(new Field(name, ColumnType.UTF8));
            case TIMESTAMP:
            case PARTITION:
            case OFFSET:
                return Optional.of(new Field(name, ColumnType.LONG));
            default:
                return name.startsWith(HEADER_PREFIX) && name.length() > HEADER_PREFIX.length()
                        ? Optional.of(new Field(name, ColumnType.UTF8)) : Optional.empty();
        }
    }

    /** Whether {@code field} is a metadata column rather than one of {@code format}'s own fields. */
    public static boolean isMetadata(InputFormat format, Field field) {
        return !format.schema().contains(field) && field(field.name()).isPresent();
    }
}
