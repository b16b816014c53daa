package io.spate.gpu.internal;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Optional;

import io.spate.frame.ColumnType;
import io.spate.plan.AggFn;
import io.spate.plan.Aggregate;
import io.spate.plan.ClfFormat;
import io.spate.plan.Field;
import io.spate.plan.Filter;
import io.spate.plan.GroupKey;
import io.spate.plan.Plan;
import io.spate.plan.Query;

/**
 * One query of a CLF plan in the form the device kernels take: the descriptor words of its
 * filters, keys and aggregates (layout in {@code spate_kernels.cuh}) and its string literals, or,
 * for a word count, the text column. Which plans run on the device is decided by {@link #whyNot}.
 */
final class DeviceQuery {

    static final int KIND_STRING = 0;
    static final int KIND_LONG = 1;
    static final int FILTER_WORDS = 6;
    static final int KEY_WORDS = 2;
    static final int AGG_WORDS = 2;

    final Query query;
    final long[] desc;
    final byte[] literals;
    final int filters;
    final int keyCount;
    final int[] keyKinds;
    final AggFn[] fns;
    /** The string column a word count splits, or -1 for a group-by. */
    final int wordColumn;

    private DeviceQuery(Query query, long[] desc, byte[] literals, int[] keyKinds, int wordColumn) {
        this.query = query;
        this.desc = desc;
        this.literals = literals;
        this.filters = query.tokenize().isPresent() ? 0 : query.filters().size();
        this.keyCount = keyKinds.length;
        this.keyKinds = keyKinds;
        this.fns = query.aggregates().stream().map(Aggregate::fn).toArray(AggFn[]::new);
        this.wordColumn = wordColumn;
    }

    /**
     * Why {@code plan} cannot run on the device, or empty when it can: CLF records, no inference,
     * no event-time windows, and per query either filters/keys/aggregates over CLF fields (all of which the kernels
     * handle), or a word count: tokenize, no filter, the word as the only key, counts only.
     */
    static Optional<String> whyNot(Plan plan) {
        if (!(plan.format() instanceof ClfFormat)) {
            return Optional.of("the device decodes CLF only, not " + plan.format().name());
        }
        if (!plan.inferences().isEmpty()) {
            return Optional.of("model inference runs behind the host's decoding (DeviceInference), not in the CLF kernels");
        }
        for (Query q : plan.queries()) {
            if (q.window().isPresent()) {
                return Optional.of("query '" + q.name() + "': event-time windows run on the CPU");
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

    /** The device form of {@code q}, a query of a plan {@link #whyNot} accepted. */
    static DeviceQuery of(Query q) {
        if (q.tokenize().isPresent()) {
            return new DeviceQuery(q, new long[] {0}, new byte[0], new int[] {KIND_STRING}, stringIndex(q.tokenize().get().column()));
        }
        int nf = q.filters().size();
        int nk = q.keys().size();
        int na = q.aggregates().size();
        long[] desc = new long[Math.max(1, nf * FILTER_WORDS + nk * KEY_WORDS + na * AGG_WORDS)];
        ByteArrayOutputStream literals = new ByteArrayOutputStream();
        int w = 0;
        for (Filter f : q.filters()) {
            boolean isLong = type(f.column()) == ColumnType.LONG;
            desc[w++] = isLong ? KIND_LONG : KIND_STRING;
            desc[w++] = columnIndex(f.column());
            desc[w++] = (f.op().test(-1) ? 1 : 0) | (f.op().test(0) ? 2 : 0) | (f.op().test(1) ? 4 : 0);
            desc[w++] = f.op() == io.spate.plan.CompareOp.EQ || f.op() == io.spate.plan.CompareOp.NE ? 1 : 0;
            if (isLong) {
                desc[w++] = f.longLiteral();
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
            kinds[k] = type(key.column()) == ColumnType.LONG ? KIND_LONG : KIND_STRING;
            desc[w++] = kinds[k];
            desc[w++] = columnIndex(key.column());
        }
        for (Aggregate a : q.aggregates()) {
            desc[w++] = a.fn().ordinal();
            desc[w++] = a.column() == null ? -1 : columnIndex(a.column());
        }
        literals.write(0);
        return new DeviceQuery(q, desc, literals.toByteArray(), kinds, -1);
    }

    /** The type of CLF field {@code name} (the plan has checked that it exists). */
    static ColumnType type(String name) {
        return new ClfFormat().field(name).map(Field::type).orElseThrow();
    }

    /** The index of CLF field {@code name} among the decoded strings or among the decoded longs. */
    static int columnIndex(String name) {
        return type(name) == ColumnType.LONG ? longIndex(name) : stringIndex(name);
    }

    private static int stringIndex(String name) {
        return index(name, ColumnType.UTF8);
    }

    private static int longIndex(String name) {
        return index(name, ColumnType.LONG);
    }

    private static int index(String name, ColumnType type) {
        List<Field> schema = new ClfFormat().schema();
        int i = 0;
        for (Field f : schema) {
            if (f.name().equals(name)) {
                return i;
            }
            if (f.type() == type) {
                i++;
            }
        }
        throw new IllegalArgumentException("no CLF field " + name);
    }
}
