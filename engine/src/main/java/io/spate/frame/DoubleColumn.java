package io.spate.frame;

import java.util.Arrays;

/** A column of {@code double} values. */
public record DoubleColumn(String name, double[] values, int size) implements Column {

    /** A column of exactly the given values. */
    public static DoubleColumn of(String name, double... values) {
        return new DoubleColumn(name, values, values.length);
    }

    @Override
    public ColumnType type() {
        return ColumnType.DOUBLE;
    }

    /** Value at {@code row}. */
    public double get(int row) {
        return values[row];
    }

    @Override
    public String toString() {
        return name + "=" + Arrays.toString(Arrays.copyOf(values, size));
    }
}
