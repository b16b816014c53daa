package io.spate.internal.cpu;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.spate.RecordBatch;
import io.spate.frame.Column;
import io.spate.frame.DoubleColumn;
import io.spate.frame.Frame;
import io.spate.frame.LongColumn;
import io.spate.frame.ColumnType;
import io.spate.internal.codec.ByteArena;
import io.spate.internal.codec.DecodedBatch;
import io.spate.plan.Aggregate;
import io.spate.plan.Having;
import io.spate.plan.Plan;
import io.spate.plan.GroupKey;
import io.spate.plan.Query;
import io.spate.plan.Window;

/**
 * Runs one query over a decoded batch, in two steps: {@link #prepare} filters the accepted
 * records, gives each a group id and computes the aggregates per group, noting the records that
 * would overflow a long sum; {@link #finish} merges into the running state, drops the groups
 * {@code having} rejects, and assembles the frame. Between them the plan may drop the step and
 * take the batch in again ({@link #abandon}). The working arrays (selection vector, group ids,
 * hash table) are kept for the next batch.
 *
 * <p>Several outputs often group alike (golden signals: requests and bytes per host, in two
 * topics; the hourly signals the same per window). A query whose filters and key columns are those
 * of an earlier one of its plan, neither tokenized, takes that one's selection and group ids for
 * the batch ({@link #selectLike}) instead of filtering and hashing every record's key again; a
 * windowed one then pairs them with its own windows.
 */
final class QueryKernel {

    private final FilterKernel filters;
    private final GroupKeys keys;
    private final GroupTable table;
    private final AggregateKernel aggregates;
    private final Having having;
    private final int havingIndex;
    private final TokenizeKernel tokenizer;
    private final RunningState state;
    private final WindowKernel window;
    private final WindowGroups windowGroups = new WindowGroups();
    private final ByteArena keyBuffer = new ByteArena();
    private int[] sel = new int[0];
    private int[] groupOf = new int[0];
    /** This batch's selected records and their groups before windows: this kernel's own, or an earlier one's it shares. */
    private Selection selection = new Selection();
    private boolean ownsSelection = true;
    private int[] entryRows = new int[0];
    private int[] entryGroups = new int[0];
    // The batch between prepare and finish: the (tokenized) decoded batch, each group's records, and the aggregates.
    private DecodedBatch current;
    private int groups;
    private int[] rowsIn;
    private int[] groupIds;
    private int rowCount;
    private int[] keyRowOf;
    private long[] windowStarts;
    private Column[] values;

    /** The kernel of {@code query}, number {@code queryIndex} of its plan, over the columns of {@code decoded} (the plan's decoded batch). */
    QueryKernel(Query query, int queryIndex, DecodedBatch decoded, int hashMask) {
        tokenizer = query.tokenize().map(t -> new TokenizeKernel(t, decoded)).orElse(null);
        DecodedBatch layout = tokenizer == null ? decoded : tokenizer.layout();
        filters = new FilterKernel(query.filters(), layout);
        keys = new GroupKeys(query.keys(), layout);
        table = new GroupTable(hashMask);
        aggregates = new AggregateKernel(query.name(), query.aggregates(), layout);
        having = query.having().orElse(null);
        int index = -1;
        List<Aggregate> aggs = query.aggregates();
        for (int a = 0; a < aggs.size(); a++) {
            if (having != null && aggs.get(a).alias().equals(having.alias())) {
                index = a;
            }
        }
        havingIndex = index;
        state = query.running() ? new RunningState(aggs, outputTypes(aggs, layout)) : null;
        window = query.window().map(w -> new WindowKernel(w, layout.columnIndex(w.column()), queryIndex)).orElse(null);
    }

    private static ColumnType[] outputTypes(List<Aggregate> aggs, DecodedBatch layout) {
        ColumnType[] types = new ColumnType[aggs.size()];
        for (int a = 0; a < types.length; a++) {
            Aggregate agg = aggs.get(a);
            ColumnType input = agg.column() == null ? ColumnType.LONG : layout.type(layout.columnIndex(agg.column()));
            types[a] = Plan.resultType(agg.fn(), input);
        }
        return types;
    }

    /** Groups the query's running state holds (0 for a query without one). */
    int heldGroups() {
        return state == null ? 0 : state.size();
    }

    /**
     * The first step of a batch: filters, groups and aggregates the accepted records of
     * {@code decoded} (the decoded {@code records}), without touching the running state, and notes
     * in {@code overflows} the records whose value would take a long sum out of the long range,
     * counting from the running sums of this query's own state, or else of {@code bases} (for the
     * GPU backend's per-batch twin: the state its host keeps), if not null. If there are any, the
     * caller {@link #abandon}s the step and takes the batch in again without them; else it
     * {@link #finish}es it.
     */
    void prepare(DecodedBatch decoded, RecordBatch records, RunningState bases, Overflows overflows) {
        current = tokenizer == null ? decoded : tokenizer.run(decoded);
        DecodedBatch batch = current;
        if (ownsSelection) {
            select(batch);
        } else if (keys.size() > 0) {
            // The kernel whose selection this is prepared the batch just before; this one reads its own key columns.
            keys.bind(batch);
        }
        // Each group's rows: the records the aggregates read and their group ids, and one record per group for its key.
        rowsIn = selection.rows;
        groupIds = selection.groups;
        rowCount = selection.count;
        groups = selection.groupCount;
        keyRowOf = selection.keyRows;
        windowStarts = null;
        if (window != null) {
            rowCount = windows(records, batch);
            rowsIn = entryRows;
            groupIds = entryGroups;
            groups = windowGroups.size();
            keyRowOf = windowGroups.rows();
            windowStarts = windowGroups.starts();
        }
        values = aggregates.compute(batch, rowsIn, groupIds, rowCount, groups, bases(batch, state != null ? state : bases), overflows);
    }

    /** Filters the accepted records of {@code batch} and groups them by key, into this kernel's own {@link #selection}. */
    private void select(DecodedBatch batch) {
        int n = batch.acceptedCount();
        if (sel.length < n) {
            sel = new int[n];
            groupOf = new int[n];
        }
        System.arraycopy(batch.accepted(), 0, sel, 0, n);
        n = filters.apply(batch, sel, n);
        int groups = group(batch, n);
        selection.rows = sel;
        selection.groups = groupOf;
        selection.count = n;
        selection.groupCount = groups;
        selection.keyRows = table.firstRows();
    }

    /**
     * Whether {@code b} selects and groups every batch as {@code a} does, windows aside: the same
     * filters and key columns (aliases may differ), and neither tokenizes.
     */
    static boolean selectsAlike(Query a, Query b) {
        return a.tokenize().isEmpty() && b.tokenize().isEmpty()
                && a.filters().equals(b.filters())
                && a.keys().stream().map(GroupKey::column).toList().equals(b.keys().stream().map(GroupKey::column).toList());
    }

    /**
     * From now on, takes {@code earlier}'s selection and group ids of each batch (see
     * {@link #selectsAlike}); {@code earlier} must prepare each batch before this kernel does.
     */
    void selectLike(QueryKernel earlier) {
        selection = earlier.selection;
        ownsSelection = false;
    }

    /** Drops the step {@link #prepare} took: the batch runs again. */
    void abandon() {
        if (tokenizer != null && current != null) {
            current.release();
        }
        if (keys.size() > 0) {
            keys.unbind();
        }
        current = null;
        values = null;
    }

    /**
     * The query's result frame for the batch {@link #prepare} took in: merges it into the running
     * state (if the query runs across batches), applies {@code having}, and drops the running
     * windows every partition's watermark has closed.
     */
    Frame finish() {
        try {
            return assemble(current);
        } finally {
            abandon();
        }
    }

    private Frame assemble(DecodedBatch batch) {
        Column[] values = this.values;
        if (state != null) {
            values = accumulate(batch, values);
        }
        int[] kept = having == null ? null : passing(values[havingIndex], groups);
        int rows = kept == null ? groups : kept.length;
        List<Column> columns = new ArrayList<>(keys.size() + values.length + 2);
        if (windowStarts != null) {
            long[] start = new long[rows];
            long[] end = new long[rows];
            for (int i = 0; i < rows; i++) {
                start[i] = windowStarts[kept == null ? i : kept[i]];
                end[i] = start[i] + window.size();
            }
            columns.add(new LongColumn(Window.START, start, rows));
            columns.add(new LongColumn(Window.END, end, rows));
        }
        if (keys.size() > 0) {
            int[] keyRows = keyRowOf;
            if (kept != null) {
                keyRows = new int[rows];
                for (int i = 0; i < rows; i++) {
                    keyRows[i] = keyRowOf[kept[i]];
                }
            }
            for (int k = 0; k < keys.size(); k++) {
                columns.add(keys.column(k, keyRows, rows));
            }
            keys.unbind();
        }
        for (Column c : values) {
            columns.add(kept == null || rows == groups ? c : gather(c, kept));
        }
        if (window != null && state != null) {
            evictClosedWindows();
        }
        return new Frame(columns, columns.size() - values.length, rows);
    }

    /**
     * Per aggregate, the running sum each batch group continues from: for the long sums whose
     * batch could take some group's running sum in {@code bases} out of the long range (see
     * {@link AggregateKernel#fitsAround}); else null. Looks each group up by its serialized key,
     * as {@link #accumulate} does, without adding it.
     */
    private long[][] bases(DecodedBatch batch, RunningState bases) {
        if (bases == null || bases.size() == 0) {
            return null;
        }
        long[][] out = null;
        for (int a = 0; a < aggregates.size(); a++) {
            if (aggregates.sumsLongs(a) && bases.sumBound(a) != 0
                    && !aggregates.fitsAround(a, batch, rowsIn, rowCount, bases.sumBound(a))) {
                if (out == null) {
                    out = new long[aggregates.size()][];
                }
                out[a] = new long[groups];
            }
        }
        if (out == null) {
            return null;
        }
        if (keys.size() > 0) {
            keys.bind(batch);
        }
        for (int g = 0; g < groups; g++) {
            int length = writeKey(g);
            int found = bases.find(keyBuffer.bytes(), 0, length);
            for (int a = 0; a < out.length; a++) {
                if (out[a] != null && found >= 0) {
                    out[a][g] = bases.sum(found, a);
                }
            }
        }
        return out;
    }

    /** Writes into {@link #keyBuffer} the state key of batch group {@code g} (window start and end first); returns its length. */
    private int writeKey(int g) {
        keyBuffer.clear();
        if (windowStarts != null) {
            keyBuffer.appendLong(windowStarts[g]);
            keyBuffer.appendLong(windowStarts[g] + window.size());
        }
        if (keys.size() > 0) {
            keys.writeKey(keyRowOf[g], keyBuffer);
        }
        return keyBuffer.size();
    }

    /**
     * Pairs the selected records with their open windows: fills {@link #entryRows} and
     * {@link #entryGroups} (ids of (window, group) pairs in {@link #windowGroups}); returns the
     * number of pairs.
     */
    private int windows(RecordBatch records, DecodedBatch batch) {
        int[] rows = selection.rows;
        int[] rowGroups = selection.groups;
        window.assign(batch, records, rows, selection.count);
        int m = window.entries();
        if (entryRows.length < m) {
            entryRows = new int[m];
            entryGroups = new int[m];
        }
        int[] entrySel = window.entrySel();
        long[] entryStart = window.entryStart();
        windowGroups.clear();
        for (int e = 0; e < m; e++) {
            int i = entrySel[e];
            entryRows[e] = rows[i];
            entryGroups[e] = windowGroups.findOrAdd(entryStart[e], rowGroups[i], rows[i]);
        }
        return m;
    }

    /** Drops from the state the windows every partition's watermark has closed. */
    private void evictClosedWindows() {
        long through = window.evictable();
        if (through != Long.MIN_VALUE) {
            state.retain(g -> window.closes(state.keyLong(g, 0)) > through);
            window.evicted(through);
        }
    }

    /** The window kernel, or null if the query has no windows. */
    WindowKernel window() {
        return window;
    }

    /**
     * Seeds the running state with {@code saved}: rows of key columns then aggregate columns, as
     * this query writes them (the last value of each group, read back from its output topic).
     */
    void restore(Frame saved) {
        if (state == null) {
            throw new IllegalStateException("query has no running state to restore");
        }
        state.restore(saved);
    }

    /**
     * Merges this batch's groups into the running state; returns their running values. Group
     * {@code g} has the records whose {@link #groupIds} is {@code g}, its keys are those of record
     * {@code keyRowOf[g]}, and its window starts at {@code windowStarts[g]} (if windowed).
     */
    private Column[] accumulate(DecodedBatch batch, Column[] values) {
        long[] counts = new long[groups];
        for (int i = 0; i < rowCount; i++) {
            counts[groupIds[i]]++;
        }
        int[] stateGroups = new int[groups];
        if (keys.size() > 0) {
            keys.bind(batch);
        }
        for (int g = 0; g < groups; g++) {
            int length = writeKey(g);
            stateGroups[g] = state.findOrAdd(keyBuffer.bytes(), 0, length);
            state.merge(stateGroups[g], g, counts[g], values);
        }
        return state.values(stateGroups, groups);
    }

    /** Sets the group id of each selected record; returns the number of groups. */
    private int group(DecodedBatch batch, int n) {
        if (keys.size() == 0) {
            Arrays.fill(groupOf, 0, n, 0);
            return n > 0 ? 1 : 0;
        }
        keys.bind(batch);
        table.clear();
        for (int i = 0; i < n; i++) {
            int row = sel[i];
            groupOf[i] = table.findOrAdd(keys.hash(row), row, keys);
        }
        return table.size();
    }

    /** The ids of the groups whose having aggregate passes, ascending. */
    private int[] passing(Column c, int groups) {
        int[] kept = new int[groups];
        int count = 0;
        for (int g = 0; g < groups; g++) {
            double v = c instanceof LongColumn ? ((LongColumn) c).get(g) : ((DoubleColumn) c).get(g);
            if (having.test(v)) {
                kept[count++] = g;
            }
        }
        return Arrays.copyOf(kept, count);
    }

    private static Column gather(Column c, int[] kept) {
        if (c instanceof LongColumn) {
            LongColumn lc = (LongColumn) c;
            long[] v = new long[kept.length];
            for (int i = 0; i < kept.length; i++) {
                v[i] = lc.get(kept[i]);
            }
            return new LongColumn(c.name(), v, kept.length);
        }
        // Aggregates are never strings: the plan only allows them over numeric columns.
        DoubleColumn dc = (DoubleColumn) c;
        double[] v = new double[kept.length];
        for (int i = 0; i < kept.length; i++) {
            v[i] = dc.get(kept[i]);
        }
        return new DoubleColumn(c.name(), v, kept.length);
    }

    /** The records of a batch a query selected, and their groups by key before windows (see {@link #selectLike}). */
    private static final class Selection {
        /** Selected rows, ascending, {@link #count} of them. */
        int[] rows = new int[0];
        /** For each selected row, its group. */
        int[] groups = new int[0];
        int count;
        int groupCount;
        /** For each group, a row of it (where its key is read). */
        int[] keyRows = new int[0];
    }
}
