package io.spate.internal.codec;

import static io.spate.internal.codec.JsonSyntax.UNSURE;

import java.util.Arrays;
import java.util.List;

import io.spate.frame.ColumnType;
import io.spate.plan.Field;

/**
 * {@link JsonDecoder}'s fast path: reads a record straight from its bytes, with no parser and no
 * allocation, and accepts it only when {@link JsonJacksonReader} would accept it with the same
 * values. Anything else, whether an error or merely something it does not handle, makes it answer
 * "not sure", and the record goes to Jackson, which decides and gives the reason.
 *
 * <p>It walks the record as the Jackson reader does: into the objects on a wanted path, other
 * subtrees skipped (but checked by {@link JsonSyntax}), the last of duplicate keys winning, and a
 * path through a non-object leaving its fields unseen. A wanted leaf is read when it is what its
 * column takes without doubt: a {@code LONG} an integer of at most 18 digits; a {@code DOUBLE} the
 * same, converted as Jackson converts it, or a decimal (parsed as {@link Double#parseDouble} does,
 * which is what Jackson calls); a {@code UTF8} a string, number or boolean. Strings without escapes
 * become slices of the batch; with escapes they are decoded to chars as Jackson decodes them and
 * encoded into the arena by the same {@link ByteArena#appendUtf8}. Keys with escapes, nulls, and
 * every value of the wrong type are left to Jackson.
 */
final class JsonFastReader {

    /** Longer integers may not fit a long, and Jackson's typing of them takes more than a digit count. */
    private static final int MAX_LONG_DIGITS = 18;

    private final JsonPathTree.Node root;
    private final boolean rootMustBeObject;
    private final ColumnType[] types;
    /** The record stamp at which each column was last set, as in {@link JsonJacksonReader}. */
    private final long[] seenAt;
    private long stamp;
    /** Scratch for strings with escapes, grown to the longest one. */
    private char[] chars = new char[256];
    private DecodedBatch out;
    private int row;

    /** A reader of {@code root}'s paths into columns for {@code fields}, in that order. */
    JsonFastReader(JsonPathTree.Node root, boolean rootMustBeObject, List<Field> fields) {
        this.root = root;
        this.rootMustBeObject = rootMustBeObject;
        types = new ColumnType[fields.size()];
        for (int c = 0; c < types.length; c++) {
            types[c] = fields.get(c).type();
        }
        seenAt = new long[types.length];
        Arrays.fill(seenAt, -1);
    }

    /**
     * Reads record {@code d[start, end)} into row {@code row} of {@code out}; true when the record
     * is accepted and every column set. False says only "ask Jackson": columns may then hold
     * anything, and the arena is as it was.
     */
    boolean read(byte[] d, int start, int end, DecodedBatch out, int row) {
        this.out = out;
        this.row = row;
        stamp++;
        int arenaSize = out.arena().size();
        boolean accepted = readRecord(d, start, end);
        if (!accepted) {
            out.arena().truncate(arenaSize);
        }
        this.out = null;
        return accepted;
    }

    private boolean readRecord(byte[] d, int start, int end) {
        int p = JsonSyntax.nextByte(d, start, end);
        if (p < 0) {
            return false;
        }
        if (root.column >= 0) {
            p = leafEnd(d, p, end, root.column);
        } else if (d[p] == '{') {
            p = objectEnd(d, p, end, root, 1);
        } else if (rootMustBeObject) {
            return false;
        } else {
            p = JsonSyntax.valueEnd(d, p, end);
        }
        if (p < 0 || JsonSyntax.skipWhitespace(d, p, end) != end) {
            return false;
        }
        for (long seen : seenAt) {
            if (seen != stamp) {
                return false;
            }
        }
        return true;
    }

    /** Past the object at {@code p}, reading the leaves under {@code node} and skipping the rest. */
    private int objectEnd(byte[] d, int p, int end, JsonPathTree.Node node, int depth) {
        if (depth > JsonSyntax.MAX_DEPTH) {
            return UNSURE;
        }
        p = JsonSyntax.nextByte(d, p + 1, end);
        if (p < 0) {
            return UNSURE;
        }
        if (d[p] == '}') {
            return p + 1;
        }
        while (true) {
            if (d[p] != '"') {
                return UNSURE;
            }
            int quote = JsonSyntax.plainEnd(d, p + 1, end);
            // An escaped key needs decoding to be matched; Jackson does that.
            if (quote < 0 || d[quote] != '"' || quote - p - 1 > JsonSyntax.MAX_NAME_BYTES) {
                return UNSURE;
            }
            JsonPathTree.Node child = node.child(d, p + 1, quote);
            p = JsonSyntax.nextByte(d, JsonSyntax.colonEnd(d, quote + 1, end), end);
            if (p < 0) {
                return UNSURE;
            }
            if (child == null) {
                p = JsonSyntax.valueEnd(d, p, end);
            } else if (child.column >= 0) {
                p = leafEnd(d, p, end, child.column);
            } else if (d[p] == '{' && child.hasChildren()) {
                p = objectEnd(d, p, end, child, depth + 1);
            } else {
                // Not an object where a path goes through: its fields stay unseen, as in Jackson.
                p = JsonSyntax.valueEnd(d, p, end);
            }
            p = JsonSyntax.nextByte(d, p, end);
            if (p < 0) {
                return UNSURE;
            }
            if (d[p] == '}') {
                return p + 1;
            }
            if (d[p] != ',') {
                return UNSURE;
            }
            p = JsonSyntax.nextByte(d, p + 1, end);
            if (p < 0) {
                return UNSURE;
            }
        }
    }

    /** Past the value at {@code p}, read into column {@code col}; UNSURE unless it surely fits. */
    private int leafEnd(byte[] d, int p, int end, int col) {
        byte first = d[p];
        int q;
        switch (types[col]) {
            case LONG:
                q = JsonSyntax.numberEnd(d, p, end);
                if (q < 0 || !isShortInteger(d, p, q)) {
                    return UNSURE;
                }
                out.longs(col)[row] = ByteNumbers.parseLong(d, p, q);
                break;
            case DOUBLE:
                q = JsonSyntax.numberEnd(d, p, end);
                if (q < 0) {
                    return UNSURE;
                }
                if (!JsonSyntax.isInteger(d, p, q)) {
                    out.doubles(col)[row] = ByteNumbers.parseDouble(d, p, q);
                } else if (isShortInteger(d, p, q)) {
                    // Jackson holds an integer as an int or a long and converts that, so -0 is 0.0.
                    out.doubles(col)[row] = (double) ByteNumbers.parseLong(d, p, q);
                } else {
                    return UNSURE;
                }
                break;
            default:
                if (first == '"') {
                    q = stringLeafEnd(d, p, end, col);
                } else {
                    // A number or boolean is taken as its JSON text, which is its bytes.
                    q = first == 't' || first == 'f' ? JsonSyntax.scalarEnd(d, p, end) : JsonSyntax.numberEnd(d, p, end);
                    if (q >= 0) {
                        out.setSlice(col, row, p, q - p);
                    }
                }
                if (q < 0) {
                    return UNSURE;
                }
                break;
        }
        seenAt[col] = stamp;
        return q;
    }

    /** Past the string at {@code p}, set as column {@code col}: a slice of the batch, or decoded into the arena. */
    private int stringLeafEnd(byte[] d, int p, int end, int col) {
        int from = p + 1;
        int quote = JsonSyntax.plainEnd(d, from, end);
        if (quote < 0 || d[quote] != '"') {
            return escapedLeafEnd(d, from, end, col);
        }
        if (quote - from > JsonSyntax.MAX_STRING_BYTES) {
            return UNSURE;
        }
        out.setSlice(col, row, from, quote - from);
        return quote + 1;
    }

    /** Past the string whose contents start at {@code from} and hold an escape, decoded into the arena as column {@code col}. */
    private int escapedLeafEnd(byte[] d, int from, int end, int col) {
        int quote = JsonSyntax.stringEnd(d, from, end);
        if (quote < 0 || quote - from > JsonSyntax.MAX_STRING_BYTES) {
            return UNSURE;
        }
        if (chars.length < quote - from) {
            chars = new char[Math.max(quote - from, 2 * chars.length)];
        }
        int n = JsonSyntax.decodeString(d, from, quote, chars);
        ByteArena arena = out.arena();
        int at = arena.appendUtf8(chars, 0, n);
        out.setArenaSlice(col, row, at, arena.size() - at);
        return quote + 1;
    }

    /** Whether the number {@code d[from, to)} is an integer of at most 18 digits, which Jackson types INT or LONG. */
    private static boolean isShortInteger(byte[] d, int from, int to) {
        int digits = d[from] == '-' ? to - from - 1 : to - from;
        return digits <= MAX_LONG_DIGITS && JsonSyntax.isInteger(d, from, to);
    }
}
