package io.spate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Keys, timestamps and headers travel in the batch's arrays beside the values. */
class RecordBatchMetadataTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldKeepKeysTimestampsAndHeadersOfEachRecord() {
        RecordBatchBuilder b = RecordBatch.builder(16, 1);
        for (int i = 0; i < 100; i++) {
            byte[] v = utf8("v" + i);
            b.append(v, 0, v.length, "t", i % 3, i, 1000L + i, i % 10 == 0 ? null : utf8("key-" + i));
            for (int h = 0; h < i % 4; h++) {
                b.header("h" + h, h == 2 ? null : utf8(i + "/" + h));
            }
            if (i % 5 == 0) {
                b.header("h0", utf8("again" + i));
            }
        }
        b.append(utf8("plain"), 0, 5, "t", 0, 100);
        RecordBatch batch = b.build(SourceOffsets.NONE, 0);

        for (int i = 0; i < 100; i++) {
            assertEquals(1000L + i, batch.timestamp(i));
            if (i % 10 == 0) {
                assertNull(batch.key(i));
                assertEquals(-1, batch.keyLength(i));
            } else {
                assertArrayEquals(utf8("key-" + i), batch.key(i));
            }
            int expected = i % 4 + (i % 5 == 0 ? 1 : 0);
            assertEquals(expected, batch.headerCount(i));
            for (int h = 0; h < i % 4; h++) {
                assertEquals("h" + h, batch.headerName(i, h));
                if (h == 2) {
                    assertNull(batch.headerValue(i, h));
                } else {
                    assertArrayEquals(utf8(i + "/" + h), batch.headerValue(i, h));
                }
            }
            int entry = batch.header(i, "h0");
            if (i % 5 == 0) {
                assertEquals("again" + i, new String(batch.metadataBytes(), batch.headerStart(entry), batch.headerLength(entry),
                        StandardCharsets.UTF_8), "a repeated name reads as its last value");
            } else if (i % 4 > 0) {
                assertEquals(i + "/0", new String(batch.metadataBytes(), batch.headerStart(entry), batch.headerLength(entry),
                        StandardCharsets.UTF_8));
            } else {
                assertEquals(-1, entry);
            }
        }
        assertEquals(RecordBatch.NO_TIMESTAMP, batch.timestamp(100));
        assertNull(batch.key(100));
        assertEquals(0, batch.headerCount(100));
        assertEquals(-1, batch.header(100, "h0"));
        assertEquals(-1, batch.headerNameIndex("nobody"));
    }

    @Test
    void shouldRefuseAHeaderBeforeAnyRecord() {
        RecordBatchBuilder b = RecordBatch.builder(16, 1);
        assertThrows(IllegalStateException.class, () -> b.header("h", utf8("x")));
    }

    @Test
    void shouldKnowTheOldestTimestampOfItsRecords() {
        RecordBatchBuilder b = RecordBatch.builder(16, 1);
        b.append(utf8("a"), 0, 1, "t", 0, 0, 5_000L, null);
        b.append(utf8("b"), 0, 1, "t", 1, 0, RecordBatch.NO_TIMESTAMP, null);
        b.append(utf8("c"), 0, 1, "t", 2, 0, 4_000L, null);
        assertEquals(4_000L, b.build(SourceOffsets.NONE, 0).oldestTimestamp());
        assertEquals(RecordBatch.NO_TIMESTAMP, RecordBatch.of("t", List.of(utf8("x"))).oldestTimestamp());
    }
}
