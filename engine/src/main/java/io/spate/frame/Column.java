package io.spate.frame;

/** One typed column of a {@link Frame}: a name and {@code size()} values. */
public sealed interface Column permits LongColumn, DoubleColumn, Utf8Column {

    /** The column's name, as it appears in output records. */
    String name();

    /** The value type. */
    ColumnType type();

    /** Number of values. */
    int size();
}
