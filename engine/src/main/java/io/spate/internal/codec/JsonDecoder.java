package io.spate.internal.codec;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

import io.spate.RecordBatch;
import io.spate.frame.ColumnType;
import io.spate.plan.Field;
import io.spate.plan.JsonFormat;

/**
 * Decodes one JSON value per record with Jackson's streaming parser, descending only into the
 * objects on a wanted path and skipping every other subtree.
 *
 * <p>A {@code LONG} field takes a JSON integer that fits a long; a {@code DOUBLE} field any JSON
 * number; a {@code UTF8} field a string, or a number or boolean as its JSON text. Strings are
 * encoded into the arena as UTF-8 straight from the parser's char buffer, with no {@code String}
 * per value. A record is malformed when it is not valid JSON, has content after its value, is not
 * an object (unless the format reads the whole record with {@code .}), or lacks a field, has it
 * {@code null} or of the wrong type. When a key appears twice, the last one wins.
 */
public final class JsonDecoder implements BatchDecoder {

    /** Thread-safe and meant to be shared; it also shares its canonical field-name table across parsers. */
    private static final JsonFactory FACTORY = new JsonFactory();

    private final JsonPathTree.Node root;
    private final boolean rootMustBeObject;
    private final ColumnType[] types;
    private final String[] missing;
    private final String[] nulls;
    private final String[] wrongType;
    /** The record stamp at which each column was last set; a stamp never repeats, so nothing is cleared per record. */
    private final long[] seenAt;
    private long stamp;
    private DecodedBatch out;
    private int row;

    /** A decoder of {@code format} filling columns for {@code fields}, a subset of its fields, in that order. */
    public JsonDecoder(JsonFormat format, List<Field> fields) {
        root = JsonPathTree.build(fields);
        rootMustBeObject = format.field(".").isEmpty();
        int n = fields.size();
        types = new ColumnType[n];
        missing = new String[n];
        nulls = new String[n];
        wrongType = new String[n];
        seenAt = new long[n];
        for (int c = 0; c < n; c++) {
            Field f = fields.get(c);
            types[c] = f.type();
            missing[c] = "json: missing field '" + f.name() + "'";
            nulls[c] = "json: field '" + f.name() + "' is null";
            wrongType[c] = "json: field '" + f.name() + "' is not a "
                    + (f.type() == ColumnType.LONG ? "long" : f.type() == ColumnType.DOUBLE ? "double" : "string");
        }
        Arrays.fill(seenAt, -1);
    }

    @Override
    public void decode(RecordBatch batch, DecodedBatch out) {
        this.out = out;
        byte[] d = batch.data();
        int[] bounds = batch.bounds();
        int n = batch.count();
        try {
            for (int r = 0; r < n; r++) {
                row = r;
                stamp++;
                String reason = decodeRecord(d, bounds[r], bounds[r + 1]);
                if (reason == null) {
                    out.accept(r);
                } else {
                    out.reject(r, reason);
                }
            }
        } finally {
            this.out = null;
        }
    }

    private String decodeRecord(byte[] d, int start, int end) {
        try (JsonParser p = FACTORY.createParser(d, start, end - start)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return "json: empty record";
            }
            String reason;
            if (root.column >= 0) {
                reason = readLeaf(p, t, root.column);
            } else if (t == JsonToken.START_OBJECT) {
                reason = readObject(p, root);
            } else if (rootMustBeObject) {
                reason = "json: record is not an object";
            } else {
                p.skipChildren();
                reason = null;
            }
            if (reason != null) {
                return reason;
            }
            if (p.nextToken() != null) {
                return "json: trailing content at byte " + byteOffset(p.currentTokenLocation());
            }
        } catch (JsonProcessingException e) {
            return "json: invalid json at byte " + byteOffset(e.getLocation());
        } catch (IOException e) {
            // A byte-array source cannot fail to read, so anything else is a parse failure too.
            return "json: invalid json";
        }
        for (int c = 0; c < seenAt.length; c++) {
            if (seenAt[c] != stamp) {
                return missing[c];
            }
        }
        return null;
    }

    /** Walks the object just started, reading wanted leaves and skipping unwanted subtrees. */
    private String readObject(JsonParser p, JsonPathTree.Node node) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            JsonPathTree.Node child = node.child(p.currentName());
            JsonToken t = p.nextToken();
            if (child == null) {
                p.skipChildren();
            } else if (child.column >= 0) {
                String reason = readLeaf(p, t, child.column);
                if (reason != null) {
                    return reason;
                }
            } else if (t == JsonToken.START_OBJECT && child.hasChildren()) {
                String reason = readObject(p, child);
                if (reason != null) {
                    return reason;
                }
            } else {
                // Not an object where a path goes through: its fields stay unseen and are reported missing.
                p.skipChildren();
            }
        }
        return null;
    }

    /** Reads the value at token {@code t} into column {@code col}; returns why it does not fit, or null. */
    private String readLeaf(JsonParser p, JsonToken t, int col) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return nulls[col];
        }
        switch (types[col]) {
            case LONG:
                if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    return wrongType[col];
                }
                out.longs(col)[row] = p.getLongValue();
                break;
            case DOUBLE:
                if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
                    return wrongType[col];
                }
                out.doubles(col)[row] = p.getDoubleValue();
                break;
            default:
                if (t != JsonToken.VALUE_STRING && !t.isNumeric() && !t.isBoolean()) {
                    return wrongType[col];
                }
                ByteArena arena = out.arena();
                int at = arena.appendUtf8(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                out.setArenaSlice(col, row, at, arena.size() - at);
                break;
        }
        seenAt[col] = stamp;
        return null;
    }

    private static String byteOffset(JsonLocation location) {
        return location == null ? "?" : Long.toString(location.getByteOffset());
    }
}
