package io.spate.frame;

import java.util.List;

/**
 * A small columnar table, the result of one query on one batch: the group-key columns first, then
 * the aggregate columns, one row per group.
 *
 * @param columns the columns, all of {@code rows} values
 * @param keyCount how many leading columns are group keys
 * @param rows number of rows
 */
public record Frame(List<Column> columns, int keyCount, int rows) {

    /** Validates that every column has {@code rows} values. */
    public Frame {
        columns = List.copyOf(columns);
        if (keyCount < 0 || keyCount > columns.size()) {
            throw new IllegalArgumentException("keyCount " + keyCount + " out of range");
        }
        for (Column c : columns) {
            if (c.size() != rows) {
                throw new IllegalArgumentException("column " + c.name() + " has " + c.size() + " values, frame has " + rows + " rows");
            }
        }
    }

    /** The column named {@code name}. */
    public Column column(String name) {
        for (Column c : columns) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("no column '" + name + "' in " + columns.stream().map(Column::name).toList());
    }
}
