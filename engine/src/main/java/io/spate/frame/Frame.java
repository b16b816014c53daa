package io.spate.frame;

import java.util.List;

/**
 * A small columnar table, the result of one query on one batch: the group-key columns first, then
 * the aggregate columns, one row per group.
 *
 * <p>A frame may be {@linkplain Nesting nested}: then each output record spans several rows (the
 * recommendations of one event), the key columns are written once and the other columns as an
 * array of objects.
 *
 * @param columns the columns, all of {@code rows} values
 * @param keyCount how many leading columns are group keys
 * @param rows number of rows
 * @param nesting how rows make records, or {@code null} for one record per row
 */
public record Frame(List<Column> columns, int keyCount, int rows, Nesting nesting) {

    /**
     * Rows grouped into records: record {@code j} is rows {@code [bounds[j], bounds[j+1])}, and its
     * non-key columns go into an array field named {@code field}.
     *
     * @param field the name of the array field
     * @param bounds the record boundaries, ascending, from 0 to {@code rows}
     */
    public record Nesting(String field, int[] bounds) {
        /** Number of records. */
        public int records() {
            return bounds.length - 1;
        }
    }

    /** A flat frame: one record per row. */
    public Frame(List<Column> columns, int keyCount, int rows) {
        this(columns, keyCount, rows, null);
    }

    /** Validates that every column has {@code rows} values. */
    public Frame {
        columns = List.copyOf(columns);
        if (nesting != null && (nesting.bounds().length == 0 || nesting.bounds()[0] != 0
                || nesting.bounds()[nesting.bounds().length - 1] != rows)) {
            throw new IllegalArgumentException("nesting bounds must run from 0 to " + rows);
        }
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
