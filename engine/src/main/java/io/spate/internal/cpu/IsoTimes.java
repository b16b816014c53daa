package io.spate.internal.cpu;

import io.spate.internal.codec.DateTimes;
import io.spate.internal.codec.DecodedBatch;

/**
 * Window times from a string column, read in place from the batch bytes by {@link DateTimes}:
 * ISO-8601 / RFC 3339 date-times with an offset ({@code 1995-07-01T00:00:01-04:00},
 * {@code 1995-07-01 04:00:01.5Z}) or CLF times ({@code 01/Jul/1995:00:00:01 -0400}, bare or in
 * brackets), as epoch milliseconds (fractions below a millisecond dropped). A string that is
 * neither, or whose milliseconds do not fit in a long, reads as {@link Long#MAX_VALUE}: out of
 * range, so its record is never on time.
 */
final class IsoTimes {

    private IsoTimes() {
    }

    /** Column {@code col} of every row of {@code decoded} as epoch milliseconds (rejected rows: anything). */
    static long[] parse(DecodedBatch decoded, int col) {
        long[] out = new long[decoded.rows()];
        int[] starts = decoded.starts(col);
        int[] lengths = decoded.lengths(col);
        int[] accepted = decoded.accepted();
        for (int a = 0; a < decoded.acceptedCount(); a++) {
            int row = accepted[a];
            int start = starts[row];
            int from = DecodedBatch.offset(start);
            long millis = DateTimes.parse(decoded.source(start), from, from + lengths[row]);
            out[row] = millis == DateTimes.INVALID ? Long.MAX_VALUE : millis;
        }
        return out;
    }
}
