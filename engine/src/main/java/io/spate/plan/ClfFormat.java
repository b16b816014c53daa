package io.spate.plan;

import java.util.List;

import io.spate.frame.ColumnType;

/**
 * The NCSA Common Log Format, one request per record:
 * {@code host ident authuser [dd/Mon/yyyy:HH:mm:ss Z] "request" status bytes}.
 *
 * <p>Fields: {@code host}, {@code ident}, {@code authuser}, {@code time} (the text between the
 * brackets), {@code timestamp} (that time as epoch milliseconds), {@code request} (the text
 * between the quotes), {@code method} and {@code path} (the first two words of the request),
 * {@code status} and {@code bytes} (longs; a {@code bytes} of {@code -} is 0). A record that does
 * not have this shape is malformed and goes to the dead-letter topic.
 */
public record ClfFormat() implements InputFormat {

    private static final List<Field> SCHEMA = List.of(
            new Field("host", ColumnType.UTF8),
            new Field("ident", ColumnType.UTF8),
            new Field("authuser", ColumnType.UTF8),
            new Field("time", ColumnType.UTF8),
            new Field("timestamp", ColumnType.LONG),
            new Field("request", ColumnType.UTF8),
            new Field("method", ColumnType.UTF8),
            new Field("path", ColumnType.UTF8),
            new Field("status", ColumnType.LONG),
            new Field("bytes", ColumnType.LONG));

    @Override
    public List<Field> schema() {
        return SCHEMA;
    }

    @Override
    public String name() {
        return "clf";
    }
}
