package io.spate.plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One aggregation over the records of a batch: keep the records that pass every filter, group them
 * by the keys, compute the aggregates per group, and keep the groups that pass {@code having}.
 * The result has one row per group: the key columns (by alias) then the aggregate columns.
 *
 * <p>Build one with {@link #builder(String)}:
 * <pre>{@code
 * Query errors = Query.builder("errors").where("status >= 500")
 *         .groupBy("host", "status as response").count("errors").build();
 * }</pre>
 *
 * @param name the query's name (the output's name in logs and metrics)
 * @param filters all must pass (AND)
 * @param keys the group keys; none means one group over the whole batch
 * @param aggregates at least one
 * @param having optional threshold on one aggregate (per batch, or on the running value)
 * @param tokenize optional split of a text column into one row per word, before filters and grouping
 * @param running whether aggregates accumulate across batches (state held by the backend): each
 *        batch then emits the groups it changed, with their running values (an upsert stream)
 * @param window optional event-time windows: the groups are then (window, keys) and the output
 *        starts with the key columns {@code window_start} and {@code window_end}; with
 *        {@code running}, each window's aggregates accumulate across batches (an upsert stream whose
 *        last value per key is the window's total), without it each batch gives its own (cuStreamz)
 */
public record Query(String name, List<Filter> filters, List<GroupKey> keys, List<Aggregate> aggregates,
                    Optional<Having> having, Optional<Tokenize> tokenize, boolean running, Optional<Window> window) {

    /** Copies the lists and checks names. */
    public Query {
        Objects.requireNonNull(name, "name");
        filters = List.copyOf(filters);
        keys = List.copyOf(keys);
        aggregates = List.copyOf(aggregates);
        Objects.requireNonNull(having, "having");
        Objects.requireNonNull(tokenize, "tokenize");
        Objects.requireNonNull(window, "window");
        if (window.isPresent() && tokenize.isPresent()) {
            throw new IllegalArgumentException("query '" + name + "': windows over tokenized text are not supported");
        }
        if (aggregates.isEmpty()) {
            throw new IllegalArgumentException("query '" + name + "' needs at least one aggregate");
        }
        List<String> outputs = new ArrayList<>();
        if (window.isPresent()) {
            outputs.add(Window.START);
            outputs.add(Window.END);
        }
        for (GroupKey k : keys) {
            outputs.add(k.alias());
        }
        for (Aggregate a : aggregates) {
            outputs.add(a.alias());
        }
        for (int i = 0; i < outputs.size(); i++) {
            if (outputs.indexOf(outputs.get(i)) != i) {
                throw new IllegalArgumentException("query '" + name + "' has two outputs named '" + outputs.get(i) + "'");
            }
        }
        if (having.isPresent()) {
            String alias = having.get().alias();
            List<String> aggregateNames = aggregates.stream().map(Aggregate::alias).toList();
            if (!aggregateNames.contains(alias)) {
                throw new IllegalArgumentException("query '" + name + "': having refers to '" + alias
                        + "', which is not an aggregate of it " + aggregateNames);
            }
        }
    }

    /** A builder for a query named {@code name}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** A query without windows (the form before windows existed). */
    public Query(String name, List<Filter> filters, List<GroupKey> keys, List<Aggregate> aggregates,
                 Optional<Having> having, Optional<Tokenize> tokenize, boolean running) {
        this(name, filters, keys, aggregates, having, tokenize, running, Optional.empty());
    }

    /** Whether the backend keeps state for this query across batches: running aggregates, or the event time of windows. */
    public boolean stateful() {
        return running || window.isPresent();
    }

    /** Number of key columns of the output: the window's start and end, if any, then the group keys. */
    public int keyColumnCount() {
        return keys.size() + (window.isPresent() ? 2 : 0);
    }

    /** The output field names, keys first (the window's start and end before the group keys). */
    public List<String> outputNames() {
        List<String> out = new ArrayList<>();
        if (window.isPresent()) {
            out.add(Window.START);
            out.add(Window.END);
        }
        keys.forEach(k -> out.add(k.alias()));
        aggregates.forEach(a -> out.add(a.alias()));
        return out;
    }

    /** Fluent builder of a {@link Query}. */
    public static final class Builder {
        private final String name;
        private final List<Filter> filters = new ArrayList<>();
        private final List<GroupKey> keys = new ArrayList<>();
        private final List<Aggregate> aggregates = new ArrayList<>();
        private Having having;
        private Tokenize tokenize;
        private boolean running;
        private Window window;

        private Builder(String name) {
            this.name = name;
        }

        /** Adds filters written as {@code column op value}. */
        public Builder where(String... filters) {
            Arrays.stream(filters).map(Filter::parse).forEach(this.filters::add);
            return this;
        }

        /** Adds a filter. */
        public Builder where(Filter filter) {
            filters.add(filter);
            return this;
        }

        /** Adds group keys written as {@code column} or {@code column as alias}. */
        public Builder groupBy(String... keys) {
            Arrays.stream(keys).map(GroupKey::parse).forEach(this.keys::add);
            return this;
        }

        /** Adds aggregates written as {@code fn(column) as alias}. */
        public Builder aggregate(String... aggregates) {
            Arrays.stream(aggregates).map(Aggregate::parse).forEach(this.aggregates::add);
            return this;
        }

        /** Adds an aggregate. */
        public Builder aggregate(Aggregate aggregate) {
            aggregates.add(aggregate);
            return this;
        }

        /** Adds {@code count} named {@code alias}. */
        public Builder count(String alias) {
            return aggregate(Aggregate.count(alias));
        }

        /** Adds {@code sum(column)} named {@code alias}. */
        public Builder sum(String column, String alias) {
            return aggregate(Aggregate.sum(column, alias));
        }

        /** Adds {@code min(column)} named {@code alias}. */
        public Builder min(String column, String alias) {
            return aggregate(Aggregate.min(column, alias));
        }

        /** Adds {@code max(column)} named {@code alias}. */
        public Builder max(String column, String alias) {
            return aggregate(Aggregate.max(column, alias));
        }

        /** Adds {@code mean(column)} named {@code alias}. */
        public Builder mean(String column, String alias) {
            return aggregate(Aggregate.mean(column, alias));
        }

        /** Sets the threshold, written as {@code alias op number}. */
        public Builder having(String having) {
            this.having = Having.parse(having);
            return this;
        }

        /** Splits {@code column} into words in a column named {@code alias}, lower-cased or not (see {@link Tokenize}). */
        public Builder tokenize(String column, String alias, boolean lowercase) {
            this.tokenize = new Tokenize(column, alias, lowercase);
            return this;
        }

        /** Makes the aggregates running totals across batches (emitting the groups each batch changes). */
        public Builder running() {
            this.running = true;
            return this;
        }

        /** Groups by event-time windows as well as the keys (see {@link Window}). */
        public Builder window(Window window) {
            this.window = window;
            return this;
        }

        /** The query. */
        public Query build() {
            return new Query(name, filters, keys, aggregates, Optional.ofNullable(having), Optional.ofNullable(tokenize), running,
                    Optional.ofNullable(window));
        }
    }
}
