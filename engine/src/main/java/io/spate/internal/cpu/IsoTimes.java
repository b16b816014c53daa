package io.spate.internal.cpu;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import io.spate.internal.codec.DecodedBatch;

/**
 * Window times from a string column: ISO-8601 / RFC 3339 date-times with an offset
 * ({@code 1995-07-01T00:00:01-04:00}, {@code 1995-07-01 04:00:01.5Z}) read as epoch milliseconds
 * (fractions below a millisecond dropped). A string that is not one, or whose milliseconds do not
 * fit in a long, reads as {@link Long#MAX_VALUE}: out of range, so its record is never on time.
 */
final class IsoTimes {

    private IsoTimes() {
    }

    /** Column {@code col} of every row of {@code decoded} as epoch milliseconds (rejected rows: anything). */
    static long[] parse(DecodedBatch decoded, int col) {
        long[] out = new long[decoded.rows()];
        int[] accepted = decoded.accepted();
        for (int a = 0; a < decoded.acceptedCount(); a++) {
            int row = accepted[a];
            out[row] = millis(new String(decoded.bytes(col, row), StandardCharsets.ISO_8859_1));
        }
        return out;
    }

    /** One date-time as epoch milliseconds, or {@link Long#MAX_VALUE} when it is none. */
    static long millis(String text) {
        // RFC 3339 allows a space or a lower-case t between date and time, and a lower-case z.
        String s = text.strip().toUpperCase(Locale.ROOT);
        if (s.length() > 10 && s.charAt(10) == ' ') {
            s = s.substring(0, 10) + 'T' + s.substring(11);
        }
        try {
            return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant().toEpochMilli();
        } catch (DateTimeException | ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}
