package io.spate.internal.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Strict JSON syntax over bytes, for {@link JsonFastReader}: each method returns the position just
 * past what it read, or {@link #UNSURE} when the bytes are not JSON that Jackson 2.17, as
 * {@link JsonDecoder} configures it, certainly accepts and reads as this class does.
 *
 * <p>The grammar is RFC 8259's, which is what Jackson accepts with its default features: white
 * space is space, tab, CR and LF; strings hold no byte below 0x20 and only the escapes
 * <code>\" \\ \/ \b \f \n \r \t &#92;uXXXX</code>; numbers are {@code -?(0|[1-9]D*)(.D+)?([eE][+-]?D+)?}; no
 * comments, NaN, single quotes or trailing commas. On top of it, UTF-8 must be well formed
 * (shortest form, no surrogates, at most U+10FFFF), which Jackson decodes to exactly the chars
 * whose UTF-8 are those bytes; and the lengths and depth stay well inside Jackson's
 * {@code StreamReadConstraints}, so that no limit can make it refuse what is accepted here.
 */
final class JsonSyntax {

    /** Not certainly accepted by Jackson with the same meaning: leave the record to Jackson. */
    static final int UNSURE = -1;

    /** Jackson refuses names over 50,000 chars; a char takes at least one byte. */
    static final int MAX_NAME_BYTES = 50_000;
    /** Jackson refuses strings over 20,000,000 chars. */
    static final int MAX_STRING_BYTES = 20_000_000;
    /** Jackson refuses numbers over 1,000 chars; real ones are far shorter. */
    static final int MAX_NUMBER_BYTES = 100;
    /**
     * Jackson refuses nesting deeper than 1,000. Objects on a wanted path are walked to 500 levels,
     * and a skipped value below them to 64 more.
     */
    static final int MAX_DEPTH = 500;
    private static final int MAX_SKIPPED_NESTING = Long.SIZE;

    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long QUOTES = ONES * '"';
    private static final long BACKSLASHES = ONES * '\\';
    private static final long SPACES = ONES * ' ';

    private JsonSyntax() {
    }

    /** The first position at or after {@code p} that is not white space (or {@code end}). */
    static int skipWhitespace(byte[] d, int p, int end) {
        // Compact JSON has no white space: settle that case without a loop, so that this inlines.
        return p < end && d[p] > ' ' ? p : whitespaceEnd(d, p, end);
    }

    private static int whitespaceEnd(byte[] d, int p, int end) {
        while (p < end) {
            byte b = d[p];
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return p;
            }
            p++;
        }
        return end;
    }

    /** The first position at or after {@code p} that is not white space; UNSURE if there is none, or if {@code p} is UNSURE. */
    static int nextByte(byte[] d, int p, int end) {
        if (p < 0) {
            return UNSURE;
        }
        p = skipWhitespace(d, p, end);
        return p < end ? p : UNSURE;
    }

    /**
     * Past the value starting at {@code p}, checking all of it. One loop, not a recursion: the
     * containers it is inside are bits of a long (set for an object), so it skips up to 64 levels
     * of nesting and leaves deeper records to Jackson.
     */
    static int valueEnd(byte[] d, int p, int end) {
        long objects = 0;
        int open = 0;
        while (true) {
            // At the start of a value.
            if (p >= end) {
                return UNSURE;
            }
            byte b = d[p];
            if (b == '{' || b == '[') {
                if (open == MAX_SKIPPED_NESTING) {
                    return UNSURE;
                }
                boolean object = b == '{';
                open++;
                objects = objects << 1 | (object ? 1 : 0);
                p = skipWhitespace(d, p + 1, end);
                if (p < end && d[p] == (object ? '}' : ']')) {
                    p++;
                    open--;
                    objects >>>= 1;
                } else {
                    p = object ? memberValue(d, p, end) : p;
                    if (p < 0) {
                        return UNSURE;
                    }
                    continue;
                }
            } else {
                p = scalarEnd(d, p, end);
                if (p < 0) {
                    return UNSURE;
                }
            }
            // Just past a whole value: close the containers it completes, or go on to the next value.
            while (true) {
                if (open == 0) {
                    return p;
                }
                p = skipWhitespace(d, p, end);
                if (p >= end) {
                    return UNSURE;
                }
                boolean inObject = (objects & 1) != 0;
                if (d[p] == ',') {
                    p = skipWhitespace(d, p + 1, end);
                    if (inObject) {
                        p = memberValue(d, p, end);
                        if (p < 0) {
                            return UNSURE;
                        }
                    }
                    break;
                }
                if (d[p] != (inObject ? '}' : ']')) {
                    return UNSURE;
                }
                p++;
                open--;
                objects >>>= 1;
            }
        }
    }

    /** Past the key, colon and white space of the object member at {@code p}: where its value starts. */
    private static int memberValue(byte[] d, int p, int end) {
        if (p >= end || d[p] != '"') {
            return UNSURE;
        }
        int quote = stringEnd(d, p + 1, end);
        if (quote < 0 || quote - p - 1 > MAX_NAME_BYTES) {
            return UNSURE;
        }
        return nextByte(d, colonEnd(d, quote + 1, end), end);
    }

    /** Past the string, number or literal at {@code p}. */
    static int scalarEnd(byte[] d, int p, int end) {
        switch (d[p]) {
            case '"':
                int quote = stringEnd(d, p + 1, end);
                return quote < 0 || quote - p - 1 > MAX_STRING_BYTES ? UNSURE : quote + 1;
            case 't':
                return literalEnd(d, p, end, TRUE);
            case 'f':
                return literalEnd(d, p, end, FALSE);
            case 'n':
                return literalEnd(d, p, end, NULL);
            default:
                return numberEnd(d, p, end);
        }
    }

    /** Past the white space and colon that follow a key ending before {@code p} (UNSURE stays UNSURE). */
    static int colonEnd(byte[] d, int p, int end) {
        if (p < 0) {
            return UNSURE;
        }
        p = skipWhitespace(d, p, end);
        return p < end && d[p] == ':' ? p + 1 : UNSURE;
    }

    /**
     * The closing quote of the string whose contents start at {@code p}: past runs of plain bytes
     * and valid escapes.
     */
    static int stringEnd(byte[] d, int p, int end) {
        int i = p;
        while (true) {
            i = plainEnd(d, i, end);
            if (i < 0 || d[i] == '"') {
                return i;
            }
            i = escapeEnd(d, i, end);
            if (i < 0) {
                return UNSURE;
            }
        }
    }

    /**
     * The first quote or backslash at or after {@code p} in a string, past bytes that stand for
     * themselves: printable ASCII and well-formed UTF-8. Reads 8 bytes at a time while none of
     * them is a quote, a backslash, a control byte or a non-ASCII byte.
     */
    static int plainEnd(byte[] d, int p, int end) {
        int i = p;
        while (true) {
            if (i <= end - Long.BYTES) {
                long w = (long) LONGS.get(d, i);
                long quotes = w ^ QUOTES;
                long backslashes = w ^ BACKSLASHES;
                // Per byte, the high bit of: a zero byte after the XORs, a byte below 0x20, a byte
                // of 0x80 or more. The lowest flagged byte is always a true one (borrows only
                // carry upwards), and the byte-wise checks below settle it.
                long special = ((quotes - ONES) & ~quotes | (backslashes - ONES) & ~backslashes
                        | (w - SPACES) & ~w | w) & HIGHS;
                if (special == 0) {
                    i += Long.BYTES;
                    continue;
                }
                i += Long.numberOfTrailingZeros(special) >>> 3;
            } else if (i >= end) {
                return UNSURE;
            }
            int b = d[i] & 0xFF;
            if (b == '"' || b == '\\') {
                return i;
            }
            if (b >= 0x80) {
                i = utf8End(d, i, end);
                if (i < 0) {
                    return UNSURE;
                }
            } else if (b < 0x20) {
                return UNSURE;
            } else {
                i++;
            }
        }
    }

    /** Past the escape whose backslash is at {@code p}. */
    private static int escapeEnd(byte[] d, int p, int end) {
        if (p + 1 >= end) {
            return UNSURE;
        }
        switch (d[p + 1]) {
            case '"':
            case '\\':
            case '/':
            case 'b':
            case 'f':
            case 'n':
            case 'r':
            case 't':
                return p + 2;
            case 'u':
                if (p + 6 > end) {
                    return UNSURE;
                }
                for (int i = p + 2; i < p + 6; i++) {
                    if (Character.digit(d[i], 16) < 0) {
                        return UNSURE;
                    }
                }
                return p + 6;
            default:
                return UNSURE;
        }
    }

    /** Past the well-formed UTF-8 sequence whose lead byte (0x80 or more) is at {@code p}. */
    private static int utf8End(byte[] d, int p, int end) {
        int b = d[p] & 0xFF;
        if (b < 0xC2) {
            // A continuation byte, or the lead of an overlong 2-byte form.
            return UNSURE;
        }
        if (b < 0xE0) {
            return p + 1 < end && isContinuation(d[p + 1]) ? p + 2 : UNSURE;
        }
        if (b < 0xF0) {
            if (p + 2 >= end) {
                return UNSURE;
            }
            int b1 = d[p + 1] & 0xFF;
            // E0 would be overlong below A0; ED would be a surrogate from A0.
            int low = b == 0xE0 ? 0xA0 : 0x80;
            int high = b == 0xED ? 0x9F : 0xBF;
            return b1 >= low && b1 <= high && isContinuation(d[p + 2]) ? p + 3 : UNSURE;
        }
        if (b < 0xF5) {
            if (p + 3 >= end) {
                return UNSURE;
            }
            int b1 = d[p + 1] & 0xFF;
            // F0 would be overlong below 90; F4 would pass U+10FFFF from 90.
            int low = b == 0xF0 ? 0x90 : 0x80;
            int high = b == 0xF4 ? 0x8F : 0xBF;
            return b1 >= low && b1 <= high && isContinuation(d[p + 2]) && isContinuation(d[p + 3]) ? p + 4 : UNSURE;
        }
        return UNSURE;
    }

    private static boolean isContinuation(byte b) {
        return (b & 0xC0) == 0x80;
    }

    /**
     * Decodes the string contents {@code d[from, to)}, which {@link #stringEnd} accepted, into
     * {@code out} (at least {@code to - from} long) as Jackson does: escapes resolved, UTF-8
     * decoded to UTF-16 (a supplementary character to its surrogate pair). Returns the char count.
     */
    static int decodeString(byte[] d, int from, int to, char[] out) {
        int n = 0;
        int i = from;
        while (i < to) {
            int b = d[i];
            if (b == '\\') {
                byte e = d[i + 1];
                if (e == 'u') {
                    out[n++] = (char) (Character.digit(d[i + 2], 16) << 12 | Character.digit(d[i + 3], 16) << 8
                            | Character.digit(d[i + 4], 16) << 4 | Character.digit(d[i + 5], 16));
                    i += 6;
                } else {
                    out[n++] = unescape(e);
                    i += 2;
                }
            } else if (b >= 0) {
                out[n++] = (char) b;
                i++;
            } else if ((b & 0xE0) == 0xC0) {
                out[n++] = (char) ((b & 0x1F) << 6 | d[i + 1] & 0x3F);
                i += 2;
            } else if ((b & 0xF0) == 0xE0) {
                out[n++] = (char) ((b & 0x0F) << 12 | (d[i + 1] & 0x3F) << 6 | d[i + 2] & 0x3F);
                i += 3;
            } else {
                int cp = (b & 0x07) << 18 | (d[i + 1] & 0x3F) << 12 | (d[i + 2] & 0x3F) << 6 | d[i + 3] & 0x3F;
                out[n++] = Character.highSurrogate(cp);
                out[n++] = Character.lowSurrogate(cp);
                i += 4;
            }
        }
        return n;
    }

    private static char unescape(byte e) {
        switch (e) {
            case 'b': return '\b';
            case 'f': return '\f';
            case 'n': return '\n';
            case 'r': return '\r';
            case 't': return '\t';
            default: return (char) e;
        }
    }

    /** Past {@code word} if it is at {@code p}. */
    private static int literalEnd(byte[] d, int p, int end, byte[] word) {
        if (p + word.length > end) {
            return UNSURE;
        }
        for (int i = 0; i < word.length; i++) {
            if (d[p + i] != word[i]) {
                return UNSURE;
            }
        }
        return p + word.length;
    }

    /**
     * Past the number starting at {@code p}: {@code -?(0|[1-9]D*)(.D+)?([eE][+-]?D+)?}. What
     * follows it is for the caller to check (a digit after a leading {@code 0} then fails there,
     * as Jackson refuses leading zeros).
     */
    static int numberEnd(byte[] d, int p, int end) {
        int i = p;
        if (i < end && d[i] == '-') {
            i++;
        }
        if (i >= end || !isDigit(d[i])) {
            return UNSURE;
        }
        if (d[i] == '0') {
            i++;
        } else {
            i = digitsEnd(d, i, end);
        }
        if (i < end && d[i] == '.') {
            int digits = i + 1;
            i = digitsEnd(d, digits, end);
            if (i == digits) {
                return UNSURE;
            }
        }
        if (i < end && (d[i] == 'e' || d[i] == 'E')) {
            i++;
            if (i < end && (d[i] == '+' || d[i] == '-')) {
                i++;
            }
            int digits = i;
            i = digitsEnd(d, digits, end);
            if (i == digits) {
                return UNSURE;
            }
        }
        return i - p > MAX_NUMBER_BYTES ? UNSURE : i;
    }

    /** Whether the number {@code d[from, to)}, which {@link #numberEnd} accepted, is an integer (Jackson's VALUE_NUMBER_INT). */
    static boolean isInteger(byte[] d, int from, int to) {
        for (int i = from; i < to; i++) {
            byte b = d[i];
            if (b == '.' || b == 'e' || b == 'E') {
                return false;
            }
        }
        return true;
    }

    private static int digitsEnd(byte[] d, int p, int end) {
        while (p < end && isDigit(d[p])) {
            p++;
        }
        return p;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }
}
