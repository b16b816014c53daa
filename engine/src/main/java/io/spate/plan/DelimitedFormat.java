package io.spate.plan;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import io.spate.frame.ColumnType;

/**
 * One delimited row per record (CSV, TSV, or any single-byte delimiter), RFC 4180 quoting with
 * {@code "} when {@code quoted}. Columns are declared ({@code name} or {@code name:type}, strings by
 * default) or taken from a header line. When {@code skipHeader} is set, records equal to the header
 * line are skipped rather than treated as malformed, so a file loaded line by line (header first)
 * can be read as is. A record with a different number of fields, or a typed field that does not
 * parse, is malformed.
 *
 * @param delimiter the field separator byte
 * @param columns the declared columns, in record order
 * @param quoted whether {@code "} quotes fields
 * @param skipHeader whether records equal to the header line are skipped
 * @param trimCarriageReturn whether a trailing {@code \r} (CRLF files) is ignored
 */
public record DelimitedFormat(byte delimiter, List<Field> columns, boolean quoted, boolean skipHeader,
                              boolean trimCarriageReturn) implements InputFormat {

    /** Checks the columns. */
    public DelimitedFormat {
        columns = List.copyOf(columns);
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("a delimited format needs at least one column");
        }
        Set<String> seen = new HashSet<>();
        for (Field f : columns) {
            if (!seen.add(f.name())) {
                throw new IllegalArgumentException("duplicate column '" + f.name() + "'");
            }
        }
    }

    /** Comma-separated, quoted, header records skipped. */
    public static DelimitedFormat csv(List<Field> columns) {
        return new DelimitedFormat((byte) ',', columns, true, true, true);
    }

    /** Tab-separated, unquoted, header records skipped. */
    public static DelimitedFormat tsv(List<Field> columns) {
        return new DelimitedFormat((byte) '\t', columns, false, true, true);
    }

    /**
     * Columns from a header line such as {@code user,item,rating:double}; each name may carry a
     * {@code :type}, names without one are strings.
     */
    public static List<Field> columnsFromHeader(String header, byte delimiter) {
        Objects.requireNonNull(header, "header");
        List<Field> out = new ArrayList<>();
        for (String name : header.strip().split(Pattern.quote(String.valueOf((char) delimiter)), -1)) {
            out.add(Field.parse(name.replace("\"", ""), ColumnType.UTF8));
        }
        return out;
    }

    /** The header line these columns make (names only), as a record would carry it. */
    public String headerLine() {
        StringBuilder sb = new StringBuilder();
        for (Field f : columns) {
            if (sb.length() > 0) {
                sb.append((char) delimiter);
            }
            sb.append(f.name());
        }
        return sb.toString();
    }

    @Override
    public List<Field> schema() {
        return columns;
    }

    @Override
    public String name() {
        return delimiter == '\t' ? "tsv" : delimiter == ',' ? "csv" : "delimited";
    }
}
