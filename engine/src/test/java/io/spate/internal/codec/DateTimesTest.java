package io.spate.internal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DateTimesTest {

    private static final DateTimeFormatter CLF_TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH);
    /** Characters a mutation inserts or substitutes: those of both forms, and some near misses. */
    private static final String NOISE = "0123456789-+:.TtZz /[]\t,Wx\u00a0\u00df";

    /** What the replaced parser gave: {@code java.time} after stripping, upper-casing and a space at 10 read as 'T'. */
    private static long javaTime(String text) {
        String s = text.strip().toUpperCase(Locale.ROOT);
        if (s.length() > 10 && s.charAt(10) == ' ') {
            s = s.substring(0, 10) + 'T' + s.substring(11);
        }
        try {
            return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant().toEpochMilli();
        } catch (DateTimeException | ArithmeticException e) {
            return DateTimes.INVALID;
        }
    }

    /** Parses {@code text} from the middle of a larger array, so that {@code from} and {@code to} are honoured. */
    private static long parse(String text) {
        byte[] t = text.getBytes(StandardCharsets.ISO_8859_1);
        byte[] b = new byte[t.length + 6];
        b[0] = '2';
        b[1] = '0';
        b[2] = '[';
        System.arraycopy(t, 0, b, 3, t.length);
        b[t.length + 3] = '5';
        b[t.length + 4] = 'Z';
        b[t.length + 5] = ']';
        return DateTimes.parse(b, 3, 3 + t.length);
    }

    private static void assertSameAsJavaTime(String text) {
        assertEquals(javaTime(text), parse(text), () -> "'" + text + "'");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1995-07-01T00:00:01-04:00|804571201000",
        "1995-07-01t04:00:01z|804571201000",
        "1995-07-01 04:00:01.5Z|804571201500",
        "'  1995-07-01T00:00Z\t'|804556800000",
        "1995-07-01T00:00:01.Z|804556801000",
        "1995-07-01T00:00:01.123456789+04|804542401123",
        "1995-07-01T00:00:01+04:00:30|804542371000",
        "1969-12-31T23:59:59.9999Z|-1",
        "+01995-07-01T00:00Z|804556800000",
        "+292278994-08-17T07:12:55.807Z|9223372036854775807",
        "01/Jul/1995:00:00:01 -0400|804571201000",
        "' [01/Jul/1995:00:00:01 -0400] '|804571201000",
    })
    void shouldReadIsoAndClfDateTimes(String text, long millis) {
        assertEquals(millis, parse(text));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1995-07-01T00:00:01", "1995-07-01T00:00:01+0400", "1995-07-01T00:00:01+18:01", "1995-07-01T24:00:00Z",
        "1995-07-01T23:59:60Z", "1995-02-29T00:00Z", "1900-02-29T00:00Z", "1995-04-31T00:00Z", "1995-13-01T00:00Z",
        "+1995-07-01T00:00Z", "10000-01-01T00:00Z", "-0000-01-01T00:00Z", "-1995-07-01 00:00Z", "1995-07-01T00:00:01.1234567890Z",
        "+292278994-08-17T07:12:55.808Z", "-292275055-05-16T16:47:04.191Z", "1995-07-01T00:00:01,5Z", "1995-07-01\t00:00Z",
        "01/jul/1995:00:00:01 -0400", "[01/Jul/1995:00:00:01 -0400", "''", "' '",
    })
    void shouldRejectWhatJavaTimeRejectedAndMalformedClfTimes(String text) {
        assertEquals(DateTimes.INVALID, parse(text));
    }

    @Test
    void shouldReadDateTimesExactlyAsJavaTimeDid() {
        SplittableRandom random = new SplittableRandom(7);
        int accepted = 0;
        for (int i = 0; i < 50_000; i++) {
            String text = randomIso(random);
            assertSameAsJavaTime(text);
            if (javaTime(text) != DateTimes.INVALID) {
                accepted++;
            }
            for (int m = 0; m < 3; m++) {
                assertSameAsJavaTime(mutate(text, random));
            }
        }
        assertTrue(accepted > 25_000, accepted + " of the unmutated date-times valid: the generator should mostly make valid ones");
    }

    @Test
    void shouldFollowTheGregorianLeapYearsAndMonthLengths() {
        for (String year : List.of("1900", "2000", "2004", "2100", "2400", "1995", "0000", "0004", "-0004", "-0100", "-0400", "+10000", "+10400")) {
            for (int month = 0; month <= 13; month++) {
                for (int day = 0; day <= 32; day++) {
                    assertSameAsJavaTime(String.format(Locale.ROOT, "%s-%02d-%02dT12:00Z", year, month, day));
                }
            }
        }
    }

    @Test
    void shouldReadTheExtremesOfTheYearAndMillisecondRanges() {
        for (String text : List.of("+999999999-12-31T23:59:59.999-18:00", "-999999999-01-01T00:00Z", "+0999999999-01-01T00:00Z",
                "+1000000000-01-01T00:00Z", "-292275055-05-16T16:47:04.192Z", "-292275055-05-16T16:47:04.193Z",
                "-292275055-05-16T16:47:04Z", "-292275055-05-16T16:47:05Z", "+292278994-08-17T07:12:55Z",
                "+292278994-08-17T07:12:56Z", "+292278994-08-17T09:12:55.807+02:00", "+00000-01-01T00:00Z", "0000-01-01T00:00Z")) {
            assertSameAsJavaTime(text);
        }
    }

    @Test
    void shouldReadClfTimesAsClfTimeDoes() {
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 50_000; i++) {
            // 0002-01-01 to 9998-12-31, so that the local time has four digits whatever the offset.
            long second = random.nextLong(-62_104_060_800L, 253_370_764_800L);
            ZoneOffset offset = ZoneOffset.ofTotalSeconds(random.nextInt(-18 * 60, 18 * 60 + 1) * 60);
            String clf = CLF_TIME.format(Instant.ofEpochSecond(second).atOffset(offset));
            assertEquals(second * 1000, parse(clf), clf);
            assertEquals(second * 1000, parse("[" + clf + "]"), clf);
            String mutated = mutate(clf, random);
            assertEquals(clf(mutated), parse(mutated), mutated);
        }
    }

    /** ClfTime on the stripped text, in brackets or not. */
    private static long clf(String text) {
        String s = text.strip();
        if (s.length() == ClfTime.LENGTH + 2 && s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return b.length == ClfTime.LENGTH && b[2] == '/' ? ClfTime.parse(b, 0, b.length) : javaTime(text);
    }

    @Test
    void shouldParseWithoutAllocating() {
        SplittableRandom random = new SplittableRandom(3);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        int n = 20_000;
        int[] ends = new int[n + 1];
        for (int i = 0; i < n; i++) {
            byte[] t = (i % 2 == 0 ? randomIso(random) : "[01/Jul/1995:00:00:01 -0400]").getBytes(StandardCharsets.ISO_8859_1);
            all.write(t, 0, t.length);
            ends[i + 1] = all.size();
        }
        byte[] b = all.toByteArray();
        long[] sum = new long[1];
        Runnable parseAll = () -> {
            for (int i = 0; i < n; i++) {
                sum[0] += DateTimes.parse(b, ends[i], ends[i + 1]);
            }
        };
        parseAll.run();
        long allocated = Allocations.during(parseAll);
        assertNotEquals(0, sum[0]);
        assertTrue(allocated < 16_384, allocated + " bytes allocated parsing " + n + " date-times");
    }

    /** An ISO date-time, mostly valid, mostly in the years 0001 to 9999. */
    private static String randomIso(SplittableRandom random) {
        StringBuilder s = new StringBuilder();
        if (random.nextInt(20) == 0) {
            s.append(random.nextBoolean() ? " " : "\t\n");
        }
        int year = random.nextInt(10) == 0 ? random.nextInt(-20_000, 20_001) : random.nextInt(1, 10_000);
        if (year < 0) {
            s.append('-').append(String.format(Locale.ROOT, "%04d", -year));
        } else if (year > 9999) {
            s.append('+').append(year);
        } else {
            s.append(String.format(Locale.ROOT, "%04d", year));
        }
        int month = random.nextInt(1, 13);
        int day = random.nextInt(50) == 0 ? random.nextInt(29, 32) : random.nextInt(1, 29);
        s.append(String.format(Locale.ROOT, "-%02d-%02d", month, day));
        s.append("TTTTt ".charAt(random.nextInt(6)));
        s.append(String.format(Locale.ROOT, "%02d:%02d", random.nextInt(24), random.nextInt(60)));
        if (random.nextInt(5) != 0) {
            s.append(String.format(Locale.ROOT, ":%02d", random.nextInt(60)));
            int digits = random.nextInt(-4, 10);
            if (digits >= 0) {
                s.append('.');
                for (int d = 0; d < digits; d++) {
                    s.append((char) ('0' + random.nextInt(10)));
                }
            }
        }
        int form = random.nextInt(5);
        if (form == 0) {
            s.append(random.nextBoolean() ? 'Z' : 'z');
        } else {
            s.append(random.nextBoolean() ? '-' : '+').append(String.format(Locale.ROOT, "%02d", random.nextInt(19)));
            if (form >= 2) {
                s.append(String.format(Locale.ROOT, ":%02d", random.nextInt(60)));
            }
            if (form >= 4) {
                s.append(String.format(Locale.ROOT, ":%02d", random.nextInt(60)));
            }
        }
        if (random.nextInt(20) == 0) {
            s.append(random.nextBoolean() ? " " : "\r\n\u001f");
        }
        return s.toString();
    }

    /** {@code text} with one character replaced, dropped or inserted, or two swapped. */
    private static String mutate(String text, SplittableRandom random) {
        StringBuilder s = new StringBuilder(text);
        int at = random.nextInt(text.length());
        char noise = NOISE.charAt(random.nextInt(NOISE.length()));
        switch (random.nextInt(5)) {
            case 0:
                s.setCharAt(at, (char) ('0' + random.nextInt(10)));
                break;
            case 1:
                s.setCharAt(at, noise);
                break;
            case 2:
                s.deleteCharAt(at);
                break;
            case 3:
                s.insert(random.nextInt(text.length() + 1), noise);
                break;
            default:
                int other = random.nextInt(text.length());
                s.setCharAt(at, text.charAt(other));
                s.setCharAt(other, text.charAt(at));
                break;
        }
        return s.toString();
    }

    @Test
    void shouldAcceptMutationsOnlyWhereJavaTimeDid() {
        List<String> seeds = new ArrayList<>(List.of("1995-07-01T00:00:01-04:00", "2000-02-29 23:59:59.999999999z",
                "-0001-12-31T00:00+18:00:00", "+12345-01-31T00:00:00.5-00:00"));
        SplittableRandom random = new SplittableRandom(5);
        for (String seed : seeds) {
            for (int i = 0; i < 20_000; i++) {
                String once = mutate(seed, random);
                assertSameAsJavaTime(once);
                assertSameAsJavaTime(mutate(once, random));
            }
        }
    }
}
