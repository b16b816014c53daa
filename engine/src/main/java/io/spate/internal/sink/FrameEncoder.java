package io.spate.internal.sink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;

import io.spate.frame.Column;
import io.spate.frame.DoubleColumn;
import io.spate.frame.Frame;
import io.spate.frame.LongColumn;
import io.spate.frame.Utf8Column;

/**
 * Turns the rows of a result frame into JSON objects ({@code {"host": "a", "requests": 3}}) and
 * record keys. A frame has one row per group, so this runs per group, never per input record.
 *
 * <p>Keys: with one group key, the key is the value's text (a host name, a number in decimal);
 * with several, a JSON object of the key fields; with none, no key. Byte strings that are not
 * valid UTF-8 (the NASA log has Latin-1 bytes) are read as ISO-8859-1, so every output is valid
 * UTF-8 JSON and no byte is lost. Not thread-safe; one per stream.
 */
public final class FrameEncoder {

    private static final JsonFactory JSON = new JsonFactory();

    private final ByteArrayBuilder buffer = new ByteArrayBuilder(256);

    /**
     * The JSON value of record {@code record} of a nested frame: the key columns of its first row,
     * then its rows' other columns as an array of objects under the nesting's field.
     */
    public byte[] nestedValue(Frame frame, int record) {
        Frame.Nesting nesting = frame.nesting();
        int from = nesting.bounds()[record];
        int to = nesting.bounds()[record + 1];
        List<Column> columns = frame.columns();
        buffer.reset();
        try (JsonGenerator g = JSON.createGenerator(buffer, JsonEncoding.UTF8)) {
            g.writeStartObject();
            for (int k = 0; k < frame.keyCount(); k++) {
                g.writeFieldName(columns.get(k).name());
                writeValue(g, columns.get(k), from);
            }
            g.writeArrayFieldStart(nesting.field());
            for (int row = from; row < to; row++) {
                g.writeStartObject();
                for (int c = frame.keyCount(); c < columns.size(); c++) {
                    g.writeFieldName(columns.get(c).name());
                    writeValue(g, columns.get(c), row);
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a frame record as JSON", e);
        }
        return buffer.toByteArray();
    }

    /** The JSON value of row {@code row}: every column, keys first. */
    public byte[] value(Frame frame, int row) {
        return object(frame.columns(), frame.columns().size(), row);
    }

    /** The record key of row {@code row}, or {@code null} when the frame has no key columns. */
    public byte[] key(Frame frame, int row) {
        int keys = frame.keyCount();
        if (keys == 0) {
            return null;
        }
        if (keys > 1) {
            return object(frame.columns(), keys, row);
        }
        Column c = frame.columns().get(0);
        if (c instanceof Utf8Column u) {
            int start = u.start(row);
            int len = u.length(row);
            if (Utf8.isValid(u.bytes(), start, len)) {
                return Arrays.copyOfRange(u.bytes(), start, start + len);
            }
            return new String(u.bytes(), start, len, StandardCharsets.ISO_8859_1).getBytes(StandardCharsets.UTF_8);
        }
        if (c instanceof LongColumn l) {
            return Long.toString(l.get(row)).getBytes(StandardCharsets.US_ASCII);
        }
        return Double.toString(((DoubleColumn) c).get(row)).getBytes(StandardCharsets.US_ASCII);
    }

    private byte[] object(List<Column> columns, int count, int row) {
        buffer.reset();
        try (JsonGenerator g = JSON.createGenerator(buffer, JsonEncoding.UTF8)) {
            g.writeStartObject();
            for (int i = 0; i < count; i++) {
                Column c = columns.get(i);
                g.writeFieldName(c.name());
                writeValue(g, c, row);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a frame row as JSON", e);
        }
        return buffer.toByteArray();
    }

    private static void writeValue(JsonGenerator g, Column c, int row) throws IOException {
        if (c instanceof LongColumn l) {
            g.writeNumber(l.get(row));
        } else if (c instanceof DoubleColumn d) {
            double v = d.get(row);
            if (Double.isFinite(v)) {
                g.writeNumber(v);
            } else {
                g.writeNull();
            }
        } else {
            Utf8Column u = (Utf8Column) c;
            int start = u.start(row);
            int len = u.length(row);
            if (Utf8.isValid(u.bytes(), start, len)) {
                g.writeUTF8String(u.bytes(), start, len);
            } else {
                g.writeString(new String(u.bytes(), start, len, StandardCharsets.ISO_8859_1));
            }
        }
    }
}
