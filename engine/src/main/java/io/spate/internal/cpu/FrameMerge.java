package io.spate.internal.cpu;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import io.spate.frame.Column;
import io.spate.frame.ColumnType;
import io.spate.frame.DoubleColumn;
import io.spate.frame.Frame;
import io.spate.frame.LongColumn;
import io.spate.frame.Utf8Column;
import io.spate.plan.AggFn;
import io.spate.plan.Aggregate;
import io.spate.plan.Query;

/**
 * Merges the frames one query gave for successive batches into one frame with a row per key, so
 * that results can be written once per interval instead of once per batch
 * ({@code spate.output.emit-interval}). A per-batch query's partial aggregates are combined: counts
 * and sums added, the least minimum and greatest maximum kept. A running query's rows are running
 * values (an upsert stream), so the last row of each key is kept. Rows come out in the order their
 * key first appeared. Keys are compared by value through the group-by's hash table; no key object
 * is made.
 *
 * <p>A long sum that would overflow is not wrapped: the key's merged row so far is written as it
 * is and a new one starts, so the rows of a key still add up to its total.
 */
public final class FrameMerge implements GroupTable.Keys {

    private final boolean keepLast;
    private final AggFn[] fns;
    private final GroupTable table = new GroupTable(-1);
    private List<Frame> frames;
    private int keyCount;
    /** The frame and row of each input row, by its index over all frames. */
    private int[] frameOf = new int[0];
    private int[] rowOf = new int[0];
    /** The output row each table group adds to now (a new one after an overflow). */
    private int[] current = new int[0];
    /** The input row whose key each output row has. */
    private int[] keyRow = new int[0];
    private long[][] longs;
    private double[][] doubles;
    private int outputs;

    /** A merger of {@code query}'s frames; check {@link #unmergeable} first. */
    public FrameMerge(Query query) {
        keepLast = query.running();
        fns = query.aggregates().stream().map(Aggregate::fn).toArray(AggFn[]::new);
    }

    /**
     * Why {@code query}'s per-batch results cannot be merged into one per interval, or empty when
     * they can: a mean of partial means is not the mean, and a per-batch {@code having} has already
     * dropped groups whose merged value might pass. Running queries always merge (the last value wins).
     */
    public static Optional<String> unmergeable(Query query) {
        if (query.running()) {
            return Optional.empty();
        }
        if (query.having().isPresent()) {
            return Optional.of("output '" + query.name() + "' filters each batch's groups with having");
        }
        for (Aggregate a : query.aggregates()) {
            if (a.fn() == AggFn.MEAN) {
                return Optional.of("output '" + query.name() + "' takes a per-batch " + a + " (use sum and count)");
            }
        }
        return Optional.empty();
    }

    /** One frame with a row per key of {@code parts} (frames of this query, oldest first). */
    public Frame merge(List<Frame> parts) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        Frame first = parts.get(0);
        frames = parts;
        keyCount = first.keyCount();
        int total = 0;
        for (Frame f : parts) {
            total += f.rows();
        }
        if (frameOf.length < total) {
            frameOf = new int[total];
            rowOf = new int[total];
        }
        int id = 0;
        for (int f = 0; f < parts.size(); f++) {
            for (int r = 0; r < parts.get(f).rows(); r++, id++) {
                frameOf[id] = f;
                rowOf[id] = r;
            }
        }
        int values = first.columns().size() - keyCount;
        longs = new long[values][];
        doubles = new double[values][];
        for (int v = 0; v < values; v++) {
            if (first.columns().get(keyCount + v).type() == ColumnType.LONG) {
                longs[v] = new long[16];
            } else {
                doubles[v] = new double[16];
            }
        }
        table.clear();
        outputs = 0;
        try {
            for (id = 0; id < total; id++) {
                int groups = table.size();
                int g = table.findOrAdd(hash(id), id, this);
                if (g == groups) {
                    if (current.length <= g) {
                        current = Arrays.copyOf(current, Math.max(16, 2 * g + 1));
                    }
                    current[g] = newOutput(id);
                } else if (!combine(current[g], id)) {
                    current[g] = newOutput(id);
                }
            }
            return output(first);
        } finally {
            frames = null;
        }
    }

    /** Starts output row for the key of input row {@code id}, holding that row's values. */
    private int newOutput(int id) {
        int o = outputs++;
        if (keyRow.length <= o) {
            keyRow = Arrays.copyOf(keyRow, Math.max(16, 2 * o + 1));
        }
        keyRow[o] = id;
        Frame frame = frames.get(frameOf[id]);
        for (int v = 0; v < longs.length; v++) {
            Column c = frame.columns().get(keyCount + v);
            if (longs[v] != null) {
                longs[v] = grow(longs[v], o);
                longs[v][o] = ((LongColumn) c).values()[rowOf[id]];
            } else {
                doubles[v] = grow(doubles[v], o);
                doubles[v][o] = ((DoubleColumn) c).values()[rowOf[id]];
            }
        }
        return o;
    }

    /** Adds input row {@code id}'s values to output row {@code o}; false when a long sum would overflow (nothing changed). */
    private boolean combine(int o, int id) {
        Frame frame = frames.get(frameOf[id]);
        int row = rowOf[id];
        if (!keepLast) {
            for (int v = 0; v < longs.length; v++) {
                if (frame.columns().get(keyCount + v) instanceof LongColumn l && (fns[v] == AggFn.COUNT || fns[v] == AggFn.SUM)) {
                    long a = longs[v][o];
                    long b = l.values()[row];
                    long sum = a + b;
                    if (((a ^ sum) & (b ^ sum)) < 0) {
                        return false;
                    }
                }
            }
        }
        for (int v = 0; v < longs.length; v++) {
            Column c = frame.columns().get(keyCount + v);
            if (c instanceof LongColumn l) {
                long b = l.values()[row];
                long a = longs[v][o];
                longs[v][o] = keepLast ? b : switch (fns[v]) {
                    case MIN -> Math.min(a, b);
                    case MAX -> Math.max(a, b);
                    default -> a + b;
                };
            } else {
                double b = ((DoubleColumn) c).values()[row];
                double a = doubles[v][o];
                doubles[v][o] = keepLast ? b : switch (fns[v]) {
                    case MIN -> Math.min(a, b);
                    case MAX -> Math.max(a, b);
                    default -> a + b;
                };
            }
        }
        return true;
    }

    private Frame output(Frame first) {
        List<Column> columns = new ArrayList<>(first.columns().size());
        for (int k = 0; k < keyCount; k++) {
            columns.add(keyColumn(k, first.columns().get(k)));
        }
        for (int v = 0; v < longs.length; v++) {
            String name = first.columns().get(keyCount + v).name();
            columns.add(longs[v] != null ? new LongColumn(name, longs[v], outputs) : new DoubleColumn(name, doubles[v], outputs));
        }
        return new Frame(columns, keyCount, outputs);
    }

    private Column keyColumn(int k, Column like) {
        switch (like.type()) {
            case LONG: {
                long[] out = new long[outputs];
                for (int o = 0; o < outputs; o++) {
                    out[o] = ((LongColumn) column(keyRow[o], k)).values()[rowOf[keyRow[o]]];
                }
                return new LongColumn(like.name(), out, outputs);
            }
            case DOUBLE: {
                double[] out = new double[outputs];
                for (int o = 0; o < outputs; o++) {
                    out[o] = ((DoubleColumn) column(keyRow[o], k)).values()[rowOf[keyRow[o]]];
                }
                return new DoubleColumn(like.name(), out, outputs);
            }
            default: {
                int[] offsets = new int[outputs + 1];
                for (int o = 0; o < outputs; o++) {
                    offsets[o + 1] = offsets[o] + ((Utf8Column) column(keyRow[o], k)).length(rowOf[keyRow[o]]);
                }
                byte[] bytes = new byte[offsets[outputs]];
                for (int o = 0; o < outputs; o++) {
                    Utf8Column c = (Utf8Column) column(keyRow[o], k);
                    int row = rowOf[keyRow[o]];
                    System.arraycopy(c.bytes(), c.start(row), bytes, offsets[o], c.length(row));
                }
                return new Utf8Column(like.name(), bytes, offsets, outputs);
            }
        }
    }

    private Column column(int id, int k) {
        return frames.get(frameOf[id]).columns().get(k);
    }

    private int hash(int id) {
        long h = 0;
        int row = rowOf[id];
        for (int k = 0; k < keyCount; k++) {
            Column c = column(id, k);
            long kh = switch (c.type()) {
                case LONG -> ByteHash.ofLong(((LongColumn) c).values()[row]);
                case DOUBLE -> ByteHash.ofLong(Double.doubleToLongBits(((DoubleColumn) c).values()[row]));
                default -> {
                    Utf8Column u = (Utf8Column) c;
                    yield ByteHash.bytes(u.bytes(), u.start(row), u.length(row));
                }
            };
            h = ByteHash.combine(h, kh);
        }
        return ByteHash.finish(h);
    }

    @Override
    public boolean same(int a, int b) {
        int ra = rowOf[a];
        int rb = rowOf[b];
        for (int k = 0; k < keyCount; k++) {
            Column ca = column(a, k);
            Column cb = column(b, k);
            boolean equal = switch (ca.type()) {
                case LONG -> ((LongColumn) ca).values()[ra] == ((LongColumn) cb).values()[rb];
                case DOUBLE -> Double.doubleToLongBits(((DoubleColumn) ca).values()[ra])
                        == Double.doubleToLongBits(((DoubleColumn) cb).values()[rb]);
                default -> {
                    Utf8Column ua = (Utf8Column) ca;
                    Utf8Column ub = (Utf8Column) cb;
                    yield Arrays.equals(ua.bytes(), ua.start(ra), ua.start(ra + 1), ub.bytes(), ub.start(rb), ub.start(rb + 1));
                }
            };
            if (!equal) {
                return false;
            }
        }
        return true;
    }

    /** Frames of a query whose rows are not groups (model answers): their rows one after another, nested records kept whole. */
    public static Frame concat(List<Frame> parts) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        Frame first = parts.get(0);
        int rows = 0;
        for (Frame f : parts) {
            rows += f.rows();
        }
        List<Column> columns = new ArrayList<>();
        for (int c = 0; c < first.columns().size(); c++) {
            columns.add(concat(parts, c, rows));
        }
        Frame.Nesting nesting = null;
        if (first.nesting() != null) {
            int records = 0;
            for (Frame f : parts) {
                records += f.nesting().records();
            }
            int[] bounds = new int[records + 1];
            int at = 0;
            int base = 0;
            for (Frame f : parts) {
                int[] b = f.nesting().bounds();
                for (int j = 1; j < b.length; j++) {
                    bounds[++at] = base + b[j];
                }
                base += f.rows();
            }
            nesting = new Frame.Nesting(first.nesting().field(), bounds);
        }
        return new Frame(columns, first.keyCount(), rows, nesting);
    }

    private static Column concat(List<Frame> parts, int c, int rows) {
        Column like = parts.get(0).columns().get(c);
        if (like.type() == ColumnType.UTF8) {
            int size = 0;
            for (Frame f : parts) {
                Utf8Column u = (Utf8Column) f.columns().get(c);
                size += u.offsets()[u.size()] - u.offsets()[0];
            }
            byte[] bytes = new byte[size];
            int[] offsets = new int[rows + 1];
            int at = 0;
            int row = 0;
            for (Frame f : parts) {
                Utf8Column u = (Utf8Column) f.columns().get(c);
                for (int r = 0; r < u.size(); r++, row++) {
                    System.arraycopy(u.bytes(), u.start(r), bytes, at, u.length(r));
                    at += u.length(r);
                    offsets[row + 1] = at;
                }
            }
            return new Utf8Column(like.name(), bytes, offsets, rows);
        }
        int at = 0;
        if (like.type() == ColumnType.LONG) {
            long[] out = new long[rows];
            for (Frame f : parts) {
                LongColumn l = (LongColumn) f.columns().get(c);
                System.arraycopy(l.values(), 0, out, at, l.size());
                at += l.size();
            }
            return new LongColumn(like.name(), out, rows);
        }
        double[] out = new double[rows];
        for (Frame f : parts) {
            DoubleColumn d = (DoubleColumn) f.columns().get(c);
            System.arraycopy(d.values(), 0, out, at, d.size());
            at += d.size();
        }
        return new DoubleColumn(like.name(), out, rows);
    }

    private static long[] grow(long[] a, int index) {
        return index < a.length ? a : Arrays.copyOf(a, 2 * index + 1);
    }

    private static double[] grow(double[] a, int index) {
        return index < a.length ? a : Arrays.copyOf(a, 2 * index + 1);
    }
}
