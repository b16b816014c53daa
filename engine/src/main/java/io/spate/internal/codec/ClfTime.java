package io.spate.internal.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

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

    /**
     * {@link #parse} for the times of a log, which come in order and so mostly share their day and
     * offset with the time before. It keeps the date and offset bytes of the last valid time with
     * the epoch milliseconds of that day's local midnight; a time with the same bytes there only
     * has its hours, minutes and seconds read and checked. It returns what {@code parse} returns
     * for every input. One per decoder; not thread-safe.
     */
    static final class SameDay {

        private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
        /** Of the word at byte 18 ({@code ss +hhmm}), the offset: little-endian, so the seconds are its low two bytes. */
        private static final long OFFSET_BYTES = 0xFFFF_FFFF_FFFF_0000L;

        /** Bytes 0 to 7 ({@code dd/Mon/y}) and 4 to 11 ({@code on/yyyy:}) of the last valid time. */
        private long date;
        private long year;
        /** Bytes 20 to 25 ({@code  +hhmm}) of the last valid time, as masked from the word at 18. */
        private long offset;
        /** Epoch milliseconds of 00:00:00 on the last valid time's day, in its offset; INVALID until there is one. */
        private long midnight = INVALID;

        /** The time in {@code b[from, to)} as epoch milliseconds, or {@link #INVALID}, as {@link ClfTime#parse}. */
        long parse(byte[] b, int from, int to) {
            if (to - from != LENGTH) {
                return INVALID;
            }
            long dateBytes = (long) LONGS.get(b, from);
            long yearBytes = (long) LONGS.get(b, from + 4);
            long offsetBytes = (long) LONGS.get(b, from + 18) & OFFSET_BYTES;
            if (midnight != INVALID && dateBytes == date && yearBytes == year && offsetBytes == offset) {
                // The same bytes as a valid time everywhere but HH:mm:ss, so only those can be wrong.
                if (b[from + 14] != ':' || b[from + 17] != ':') {
                    return INVALID;
                }
                int hour = digits2(b, from + 12);
                int minute = digits2(b, from + 15);
                int second = digits2(b, from + 18);
                if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
                    return INVALID;
                }
                return midnight + (hour * 3_600L + minute * 60L + second) * 1000L;
            }
            long millis = ClfTime.parse(b, from, to);
            if (millis != INVALID) {
                // parse is linear in the time of day, so midnight is the time less its seconds since 00:00:00.
                date = dateBytes;
                year = yearBytes;
                offset = offsetBytes;
                midnight = millis - (digits2(b, from + 12) * 3_600L + digits2(b, from + 15) * 60L + digits2(b, from + 18)) * 1000L;
            }
            return millis;
        }
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
