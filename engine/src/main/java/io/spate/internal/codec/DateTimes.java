package io.spate.internal.codec;

/**
 * Parses a date-time from bytes into epoch milliseconds with integer arithmetic only, for window
 * times held in a string column: a {@code String} and a {@code java.time} object per record would
 * cost more than the window assignment they feed.
 *
 * <p>Two forms are read, with leading and trailing whitespace ignored:
 * <ul>
 *   <li>ISO-8601 / RFC 3339 date-times with an offset, exactly as
 *       {@code OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME)} reads them (as window
 *       columns were read before), but also with a lower-case {@code t} or {@code z} and, after a
 *       four-digit year, a space for the {@code T}: {@code 1995-07-01T00:00:01-04:00}, {@code 1995-07-01 04:00:01.5Z}.
 *       Seconds may be left out; a fraction has up to nine digits (digits below the millisecond
 *       are dropped, rounding toward the past); the offset is {@code Z}, {@code +hh}, {@code +hh:mm}
 *       or {@code +hh:mm:ss} within 18 hours; years beyond four digits take a sign, up to
 *       999,999,999.</li>
 *   <li>CLF times, as {@link ClfTime} reads them, bare or in the log's brackets:
 *       {@code 01/Jul/1995:00:00:01 -0400}, {@code [01/Jul/1995:00:00:01 -0400]}.</li>
 * </ul>
 */
public final class DateTimes {

    /**
     * Returned for text that is neither form, or whose milliseconds do not fit in a long; the same
     * as {@link ClfTime#INVALID}. Being {@code Long.MIN_VALUE}, it also stands for the one instant of
     * that many milliseconds, in the year -292,275,055.
     */
    public static final long INVALID = ClfTime.INVALID;

    /** java.time's largest year: the same strings are read as with java.time. */
    private static final int MAX_YEAR = 999_999_999;

    /** java.time's largest offset from UTC, 18 hours, in seconds. */
    private static final int MAX_OFFSET = 18 * 3_600;

    private static final int NO_OFFSET = Integer.MIN_VALUE;

    private static final long MAX_SECONDS = Long.MAX_VALUE / 1_000;

    private static final long MIN_SECONDS = Math.floorDiv(Long.MIN_VALUE, 1_000);

    private DateTimes() {
    }

    /** The date-time in {@code b[from, to)} as epoch milliseconds, or {@link #INVALID}. */
    public static long parse(byte[] b, int from, int to) {
        while (from < to && isSpace(b[from])) {
            from++;
        }
        while (to > from && isSpace(b[to - 1])) {
            to--;
        }
        // An ISO date has a digit where a CLF time has its first '/' and never starts with '['.
        if (to - from == ClfTime.LENGTH && b[from + 2] == '/') {
            return ClfTime.parse(b, from, to);
        }
        if (to - from == ClfTime.LENGTH + 2 && b[from] == '[' && b[to - 1] == ']') {
            return ClfTime.parse(b, from + 1, to - 1);
        }
        return iso(b, from, to);
    }

    private static long iso(byte[] b, int from, int to) {
        int at = from;
        byte sign = at < to ? b[at] : 0;
        if (sign == '+' || sign == '-') {
            at++;
        }
        int yearFrom = at;
        long year = 0;
        while (at < to && at - yearFrom <= 10 && isDigit(b[at])) {
            year = year * 10 + (b[at++] - '0');
        }
        int yearDigits = at - yearFrom;
        // ISO_LOCAL_DATE's year: four digits unsigned, more only after a '+', and no -0000.
        boolean yearForm = sign == '+' ? yearDigits > 4 : sign == '-' ? yearDigits >= 4 && year != 0 : yearDigits == 4;
        if (!yearForm || yearDigits > 10 || year > MAX_YEAR
                || to - at < 13 || b[at] != '-' || b[at + 3] != '-' || b[at + 9] != ':') {
            return INVALID;
        }
        int month = ClfTime.digits2(b, at + 1);
        int day = ClfTime.digits2(b, at + 4);
        byte t = b[at + 6];
        // The replaced parser turned a space at index 10 into the 'T', so only after a four-digit year.
        if (t != 'T' && t != 't' && (t != ' ' || at + 6 != from + 10)) {
            return INVALID;
        }
        int hour = ClfTime.digits2(b, at + 7);
        int minute = ClfTime.digits2(b, at + 10);
        at += 12;
        int second = 0;
        int millis = 0;
        if (b[at] == ':') {
            if (to - at < 3) {
                return INVALID;
            }
            second = ClfTime.digits2(b, at + 1);
            at += 3;
            if (at < to && b[at] == '.') {
                at++;
                // As java.time, a '.' with no digits after it is a fraction of zero.
                int digits = 0;
                while (at < to && digits < 9 && isDigit(b[at])) {
                    if (digits < 3) {
                        millis = millis * 10 + (b[at] - '0');
                    }
                    digits++;
                    at++;
                }
                for (; digits < 3; digits++) {
                    millis *= 10;
                }
            }
        }
        int offset = offsetSeconds(b, at, to);
        int y = sign == '-' ? (int) -year : (int) year;
        // digits2 gives a negative number for non-digits, so the range checks catch those too.
        if (month < 1 || month > 12 || day < 1 || day > ClfTime.daysInMonth(y, month)
                || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59
                || offset == NO_OFFSET) {
            return INVALID;
        }
        long seconds = ClfTime.daysFromCivil(y, month, day) * 86_400L + hour * 3_600L + minute * 60L + second;
        // Local time = UTC + offset, so UTC = local - offset.
        return toMillis(seconds - offset, millis);
    }

    /** The offset {@code Z}, {@code +hh}, {@code +hh:mm} or {@code +hh:mm:ss} filling {@code b[at, to)} in seconds, or {@link #NO_OFFSET}. */
    private static int offsetSeconds(byte[] b, int at, int to) {
        int length = to - at;
        if (length == 1 && (b[at] == 'Z' || b[at] == 'z')) {
            return 0;
        }
        if ((length != 3 && length != 6 && length != 9) || (b[at] != '+' && b[at] != '-')) {
            return NO_OFFSET;
        }
        int hours = ClfTime.digits2(b, at + 1);
        int minutes = length < 6 ? 0 : b[at + 3] == ':' ? ClfTime.digits2(b, at + 4) : -1;
        int seconds = length < 9 ? 0 : b[at + 6] == ':' ? ClfTime.digits2(b, at + 7) : -1;
        int total = hours * 3_600 + minutes * 60 + seconds;
        if (hours < 0 || minutes < 0 || minutes > 59 || seconds < 0 || seconds > 59 || total > MAX_OFFSET) {
            return NO_OFFSET;
        }
        return b[at] == '-' ? -total : total;
    }

    /**
     * {@code seconds * 1000 + millis}, or {@link #INVALID} where that does not fit in a long: what
     * {@code Instant.toEpochMilli} gives, without its exception.
     */
    private static long toMillis(long seconds, int millis) {
        if (seconds > MAX_SECONDS || seconds < MIN_SECONDS) {
            return INVALID;
        }
        // Near Long.MIN_VALUE the product alone overflows where the sum need not, so add first, as Instant does.
        long result = seconds < 0 ? (seconds + 1) * 1_000 + (millis - 1_000) : seconds * 1_000 + millis;
        return (result < 0) == (seconds < 0) ? result : INVALID;
    }

    /** {@code Character.isWhitespace} for an ISO-8859-1 byte, as {@code String.strip} uses it. */
    private static boolean isSpace(byte c) {
        return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20);
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }
}
