package io.spate.gpu.internal;

import java.io.ByteArrayOutputStream;
import java.util.Optional;

import io.spate.frame.ColumnType;
import io.spate.plan.AggFn;
import io.spate.plan.Aggregate;
import io.spate.plan.CompareOp;
import io.spate.plan.Filter;
import io.spate.plan.GroupKey;
import io.spate.plan.Plan;
import io.spate.plan.Query;
import io.spate.plan.Window;

/**
 * One query of a plan in the form the device kernels take: the descriptor words of its filters,
 * keys and aggregates (layout in {@code spate_kernels.cuh}) over the columns of the format's
 * {@link DeviceDecode}, and its string literals, or, for a word count, the text column; for an
 * event-time window, also its time column. Which plans run on the device is decided by {@link #whyNot}.
 */
final class DeviceQuery {

    static final int KIND_STRING = 0;
    static final int KIND_LONG = 1;
    static final int KIND_DOUBLE = 2;
    static final int FILTER_WORDS = 6;
    static final int KEY_WORDS = 2;
    static final int AGG_WORDS = 3;
    /** Decode verdicts (spate_kernels.cuh): malformed, a header line, a batch for the CPU. */
    static final int DECODE_REJECT = 200;
    static final int DECODE_SKIP = 254;
    static final int DECODE_HOST = 255;

    final Query query;
    final long[] desc;
    final byte[] literals;
    final int filters;
    final int keyCount;
    final int[] keyKinds;
    final AggFn[] fns;
    /** The kind of each aggregate's column (long for a count). */
    final int[] aggKinds;
    /** The string column a word count splits, or -1 for a group-by. */
    final int wordColumn;
    /** The query's event-time windows, or null. */
    final Window window;
    /** The long column the windows read their time from, or -1 without windows. */
    final int timeColumn;

    private DeviceQuery(Query query, long[] desc, byte[] literals, int[] keyKinds, int[] aggKinds, int wordColumn, int timeColumn) {
        this.query = query;
        this.desc = desc;
        this.literals = literals;
        this.filters = query.tokenize().isPresent() ? 0 : query.filters().size();
        this.keyCount = keyKinds.length;
        this.keyKinds = keyKinds;
        this.fns = query.aggregates().stream().map(Aggregate::fn).toArray(AggFn[]::new);
        this.aggKinds = aggKinds;
        this.wordColumn = wordColumn;
        this.window = query.window().orElse(null);
        this.timeColumn = timeColumn;
    }

    /**
     * The accumulator words of each group in the device's tables and packed rows: one per
     * aggregate, then one per aggregate for the largest magnitude a long sum or mean added to the
     * group (kernels.cu).
     */
    int accumulatorWords() {
        return 2 * fns.length;
    }

    /**
     * Why {@code plan} cannot run on the device, or empty when it can: a format the device decodes
     * ({@link DeviceDecode#whyNot}), no inference, and per query either filters/keys/aggregates over
     * decoded fields (long, double and string; all of which the kernels handle), with or without
     * event-time windows, or a word count: tokenize, no filter, the word as the only key, counts
     * only (plans have no windows over tokenized text).
     */
    static Optional<String> whyNot(Plan plan) {
        Optional<String> format = DeviceDecode.whyNot(plan);
        if (format.isPresent()) {
            return format;
        }
        if (!plan.inferences().isEmpty()) {
            return Optional.of("model inference runs behind the host's decoding (DeviceInference), not in the CLF kernels");
        }
        for (Query q : plan.queries()) {
            if (q.window().isPresent() && plan.format().schema().stream()
                    .anyMatch(f -> f.name().equals(q.window().get().column()) && f.type() == ColumnType.UTF8)) {
                return Optional.of("query '" + q.name() + "': window times from date-time strings are parsed on the host");
            }
            if (q.tokenize().isPresent()) {
                boolean wordKey = q.keys().size() == 1 && q.keys().get(0).column().equals(q.tokenize().get().alias());
                if (!q.filters().isEmpty() || !wordKey) {
                    return Optional.of("query '" + q.name() + "': a device word count has no filter and groups by the word alone");
                }
            }
        }
        return Optional.empty();
    }

    /** The device form of {@code q}, a query of a plan {@link #whyNot} accepted, over the columns of {@code decode}. */
    static DeviceQuery of(Query q, DeviceDecode decode) {
        if (q.tokenize().isPresent()) {
            return new DeviceQuery(q, new long[] {0}, new byte[0], new int[] {KIND_STRING}, new int[] {KIND_LONG},
                    decode.column(q.tokenize().get().column()), -1);
        }
        int nf = q.filters().size();
        int nk = q.keys().size();
        int na = q.aggregates().size();
        long[] desc = new long[Math.max(1, nf * FILTER_WORDS + nk * KEY_WORDS + na * AGG_WORDS)];
        ByteArrayOutputStream literals = new ByteArrayOutputStream();
        int w = 0;
        for (Filter f : q.filters()) {
            int kind = decode.kind(f.column());
            desc[w++] = kind;
            desc[w++] = decode.column(f.column());
            desc[w++] = (f.op().test(-1) ? 1 : 0) | (f.op().test(0) ? 2 : 0) | (f.op().test(1) ? 4 : 0);
            desc[w++] = f.op() == CompareOp.EQ || f.op() == CompareOp.NE ? 1 : 0;
            if (kind == KIND_LONG) {
                desc[w++] = f.longLiteral();
                desc[w++] = 0;
            } else if (kind == KIND_DOUBLE) {
                desc[w++] = Double.doubleToLongBits(f.doubleLiteral());
                desc[w++] = 0;
            } else {
                byte[] lit = f.bytesLiteral();
                desc[w++] = literals.size();
                desc[w++] = lit.length;
                literals.writeBytes(lit);
            }
        }
        int[] kinds = new int[nk];
        for (int k = 0; k < nk; k++) {
            GroupKey key = q.keys().get(k);
            kinds[k] = decode.kind(key.column());
            desc[w++] = kinds[k];
            desc[w++] = decode.column(key.column());
        }
        int[] aggKinds = new int[na];
        for (int a = 0; a < na; a++) {
            Aggregate agg = q.aggregates().get(a);
            aggKinds[a] = agg.column() == null ? KIND_LONG : decode.kind(agg.column());
            desc[w++] = agg.fn().ordinal();
            desc[w++] = agg.column() == null ? -1 : decode.column(agg.column());
            desc[w++] = aggKinds[a];
        }
        literals.write(0);
        int timeColumn = q.window().map(window -> decode.column(window.column())).orElse(-1);
        return new DeviceQuery(q, desc, literals.toByteArray(), kinds, aggKinds, -1, timeColumn);
    }
}
