package io.spate.internal.codec;

/**
 * Parses the CLF time {@code dd/Mon/yyyy:HH:mm:ss +hhmm} from bytes into epoch milliseconds with
 * integer arithmetic only, since building a {@code java.time} object per record would cost more
 * than the rest of the decode.
 */
public final class ClfTime {

    /** Returned for text that is not a valid time; no valid time maps to it. */
    public static final long INVALID = Long.MIN_VALUE;

    /** Length of {@code dd/Mon/yyyy:HH:mm:ss +hhmm}. */
    static final int LENGTH = 26;

    private ClfTime() {
    }

    /** The time in {@code b[from, to)} as epoch milliseconds, or {@link #INVALID}. */
    public static long parse(byte[] b, int from, int to) {
        if (to - from != LENGTH
                || b[from + 2] != '/' || b[from + 6] != '/' || b[from + 11] != ':'
                || b[from + 14] != ':' || b[from + 17] != ':' || b[from + 20] != ' ') {
            return INVALID;
        }
        int day = digits2(b, from);
        int month = month(b[from + 3], b[from + 4], b[from + 5]);
        int century = digits2(b, from + 7);
        int yearOfCentury = digits2(b, from + 9);
        int hour = digits2(b, from + 12);
        int minute = digits2(b, from + 15);
        int second = digits2(b, from + 18);
        byte sign = b[from + 21];
        int offsetHours = digits2(b, from + 22);
        int offsetMinutes = digits2(b, from + 24);
        if (month == 0 || century < 0 || yearOfCentury < 0) {
            return INVALID;
        }
        int year = century * 100 + yearOfCentury;
        // digits2 gives a negative number for non-digits, so the range checks catch those too.
        if (day < 1 || day > daysInMonth(year, month)
                || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59
                || (sign != '+' && sign != '-') || offsetHours < 0 || offsetHours > 23
                || offsetMinutes < 0 || offsetMinutes > 59) {
            return INVALID;
        }
        long seconds = daysFromCivil(year, month, day) * 86_400L + hour * 3_600L + minute * 60L + second;
        long offset = offsetHours * 3_600L + offsetMinutes * 60L;
        // Local time = UTC + offset, so UTC = local - offset.
        seconds -= sign == '+' ? offset : -offset;
        return seconds * 1000L;
    }

    /** The two digits at {@code b[at]} as a number, or a negative number when either is not a digit. */
    static int digits2(byte[] b, int at) {
        int hi = b[at] - '0';
        int lo = b[at + 1] - '0';
        if (hi < 0 || hi > 9 || lo < 0 || lo > 9) {
            return -1_000;
        }
        return hi * 10 + lo;
    }

    private static int month(byte a, byte b, byte c) {
        switch (a << 16 | b << 8 | c) {
            case 'J' << 16 | 'a' << 8 | 'n': return 1;
            case 'F' << 16 | 'e' << 8 | 'b': return 2;
            case 'M' << 16 | 'a' << 8 | 'r': return 3;
            case 'A' << 16 | 'p' << 8 | 'r': return 4;
            case 'M' << 16 | 'a' << 8 | 'y': return 5;
            case 'J' << 16 | 'u' << 8 | 'n': return 6;
            case 'J' << 16 | 'u' << 8 | 'l': return 7;
            case 'A' << 16 | 'u' << 8 | 'g': return 8;
            case 'S' << 16 | 'e' << 8 | 'p': return 9;
            case 'O' << 16 | 'c' << 8 | 't': return 10;
            case 'N' << 16 | 'o' << 8 | 'v': return 11;
            case 'D' << 16 | 'e' << 8 | 'c': return 12;
            default: return 0;
        }
    }

    /** Days in the month of the proleptic Gregorian year. */
    static int daysInMonth(int year, int month) {
        switch (month) {
            case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28;
            case 4: case 6: case 9: case 11: return 30;
            default: return 31;
        }
    }

    /** Days from 1970-01-01 to the given proleptic Gregorian date (H. Hinnant's days_from_civil). */
    static long daysFromCivil(int year, int month, int day) {
        int y = month <= 2 ? year - 1 : year;
        int era = (y >= 0 ? y : y - 399) / 400;
        int yearOfEra = y - era * 400;
        int dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097L + dayOfEra - 719_468L;
    }
}
