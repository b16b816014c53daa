package io.spate.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.spate.BatchResult;
import io.spate.RecordBatch;
import io.spate.frame.Column;
import io.spate.frame.DoubleColumn;
import io.spate.frame.Frame;
import io.spate.frame.LongColumn;
import io.spate.frame.Utf8Column;
import io.spate.plan.Plan;
import io.spate.spi.ComputeBackend;

/**
 * What "the same result" means in the {@link BackendContract}: the same rejected records and
 * reasons, and frames equal as sets of rows (group key to aggregates; doubles within 1e-9
 * relative), since a backend may write groups in any order.
 */
final class ReferenceAssertions {

    private ReferenceAssertions() {
    }

    /** Runs the batch on both backends, reference first, and returns the tested backend's result once it is the same. */
    static BatchResult assertSameResult(ComputeBackend tested, ComputeBackend reference, Plan plan, RecordBatch batch) {
        BatchResult want = reference.execute(plan, batch);
        BatchResult got = tested.execute(plan, batch);
        assertSameRejected(want, got);
        assertSameFrames(want, got);
        return got;
    }

    /** {@link #assertSameResult} and the same late records, their queries and the moved event times. */
    static BatchResult assertSameResultInTime(ComputeBackend tested, ComputeBackend reference, Plan plan, RecordBatch batch) {
        BatchResult want = reference.execute(plan, batch);
        BatchResult got = tested.execute(plan, batch);
        assertSameRejected(want, got);
        assertArrayEquals(want.late(), got.late(), "late rows");
        assertArrayEquals(want.lateQuery(), got.lateQuery(), "queries of the late rows");
        assertEquals(Set.copyOf(want.times()), Set.copyOf(got.times()), "moved event times");
        assertSameFrames(want, got);
        return got;
    }

    private static void assertSameRejected(BatchResult want, BatchResult got) {
        assertArrayEquals(want.rejected(), got.rejected(), "rejected rows");
        assertArrayEquals(want.reasons(), got.reasons(), "reject reasons");
    }

    private static void assertSameFrames(BatchResult want, BatchResult got) {
        assertEquals(want.frames().size(), got.frames().size());
        for (int f = 0; f < want.frames().size(); f++) {
            assertFramesEqual(want.frames().get(f), got.frames().get(f));
        }
    }

    static void assertFramesEqual(Frame want, Frame got) {
        assertEquals(names(want), names(got), "columns");
        Map<List<Object>, List<Object>> w = rows(want);
        Map<List<Object>, List<Object>> g = rows(got);
        assertEquals(w.keySet(), g.keySet(), "group keys");
        for (Map.Entry<List<Object>, List<Object>> e : w.entrySet()) {
            List<Object> gv = g.get(e.getKey());
            for (int i = 0; i < e.getValue().size(); i++) {
                Object a = e.getValue().get(i);
                Object b = gv.get(i);
                if (a instanceof Double x && b instanceof Double y) {
                    assertTrue(x.equals(y) || Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y)), e.getKey() + ": " + x + " vs " + y);
                } else {
                    assertEquals(a, b, "group " + e.getKey());
                }
            }
        }
    }

    private static List<String> names(Frame f) {
        return f.columns().stream().map(Column::name).toList();
    }

    private static Map<List<Object>, List<Object>> rows(Frame frame) {
        Map<List<Object>, List<Object>> out = new HashMap<>();
        for (int r = 0; r < frame.rows(); r++) {
            List<Object> key = new ArrayList<>();
            List<Object> values = new ArrayList<>();
            for (int c = 0; c < frame.columns().size(); c++) {
                (c < frame.keyCount() ? key : values).add(value(frame.columns().get(c), r));
            }
            if (out.put(key, values) != null) {
                throw new AssertionError("group " + key + " appears twice");
            }
        }
        return out;
    }

    private static Object value(Column column, int row) {
        if (column instanceof LongColumn l) {
            return l.get(row);
        }
        if (column instanceof DoubleColumn d) {
            return d.get(row);
        }
        Utf8Column u = (Utf8Column) column;
        return new String(u.bytes(), u.start(row), u.length(row), StandardCharsets.ISO_8859_1);
    }
}
