package io.spate.frame;

import java.util.Arrays;

/** A column of {@code long} values. */
public record LongColumn(String name, long[] values, int size) implements Column {

    /** A column of exactly the given values. */
    public static LongColumn of(String name, long... values) {
        return new LongColumn(name, values, values.length);
    }

    @Override
    public ColumnType type() {
        return ColumnType.LONG;
    }

    /** Value at {@code row}. */
    public long get(int row) {
        return values[row];
    }

    @Override
    public String toString() {
        return name + "=" + Arrays.toString(Arrays.copyOf(values, size));
    }
}
