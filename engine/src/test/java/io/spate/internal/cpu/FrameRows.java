package io.spate.internal.cpu;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.spate.frame.Column;
import io.spate.frame.DoubleColumn;
import io.spate.frame.Frame;
import io.spate.frame.LongColumn;
import io.spate.frame.Utf8Column;

/**
 * Frames as plain Java values for assertions: strings decoded as ISO-8859-1 (one char per byte, so
 * nothing is lost and ordering matches unsigned bytes), longs as {@code Long}, doubles as {@code Double}.
 */
final class FrameRows {

    private FrameRows() {
    }

    /** The value of {@code column} at {@code row}. */
    static Object value(Column column, int row) {
        if (column instanceof LongColumn) {
            return ((LongColumn) column).get(row);
        }
        if (column instanceof DoubleColumn) {
            return ((DoubleColumn) column).get(row);
        }
        Utf8Column u = (Utf8Column) column;
        return new String(u.bytes(), u.start(row), u.length(row), StandardCharsets.ISO_8859_1);
    }

    /** Rows in frame order: key values to aggregate values. */
    static Map<List<Object>, List<Object>> byKey(Frame frame) {
        Map<List<Object>, List<Object>> out = new LinkedHashMap<>();
        for (int r = 0; r < frame.rows(); r++) {
            List<Object> key = new ArrayList<>();
            List<Object> values = new ArrayList<>();
            for (int c = 0; c < frame.columns().size(); c++) {
                (c < frame.keyCount() ? key : values).add(value(frame.columns().get(c), r));
            }
            if (out.put(key, values) != null) {
                throw new AssertionError("group " + key + " appears twice in " + frame);
            }
        }
        return out;
    }

    /** The single-key rows of {@code frame} as key to its first aggregate, a long. */
    static Map<Object, Long> longsByKey(Frame frame) {
        Map<Object, Long> out = new LinkedHashMap<>();
        byKey(frame).forEach((k, v) -> out.put(k.size() == 1 ? k.get(0) : k, (Long) v.get(0)));
        return out;
    }
}
