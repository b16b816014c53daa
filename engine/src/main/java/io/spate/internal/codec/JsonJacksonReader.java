package io.spate.internal.codec;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

import io.spate.frame.ColumnType;
import io.spate.plan.Field;

/**
 * {@link JsonDecoder}'s exact path, and the definition of what it decides: Jackson's streaming
 * parser, a new one per record, descending only into the objects on a wanted path and skipping
 * every other subtree. Every record {@link JsonFastReader} is unsure of comes here, so every
 * rejection reason is made here.
 */
final class JsonJacksonReader {

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

    /** A reader of {@code root}'s paths into columns for {@code fields}, in that order. */
    JsonJacksonReader(JsonPathTree.Node root, boolean rootMustBeObject, List<Field> fields) {
        this.root = root;
        this.rootMustBeObject = rootMustBeObject;
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

    /** Reads record {@code d[start, end)} into row {@code row} of {@code out}; returns why it is malformed, or null. */
    String read(byte[] d, int start, int end, DecodedBatch out, int row) {
        this.out = out;
        this.row = row;
        stamp++;
        try {
            return readRecord(d, start, end);
        } finally {
            this.out = null;
        }
    }

    private String readRecord(byte[] d, int start, int end) {
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
