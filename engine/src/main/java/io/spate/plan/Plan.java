package io.spate.plan;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import io.spate.frame.ColumnType;

/**
 * The immutable, validated description of the work on one batch: how to decode the records, and
 * the queries to run over them. All queries share one decode of the batch.
 *
 * <p>{@link #of} checks every column reference against the format's schema and every literal
 * against its column's type, so a bad plan fails before the stream starts, with a message naming
 * the query and the column.
 *
 * <p>Results come one frame per output: the queries' frames first, then the inferences', in the
 * order given.
 *
 * @param format how records are decoded
 * @param queries the aggregations, each giving one result frame per batch
 * @param inferences the models answering each record, each giving one frame per batch
 */
public record Plan(InputFormat format, List<Query> queries, List<Inference> inferences) {

    /** Validates the plan. */
    public Plan {
        Objects.requireNonNull(format, "format");
        queries = List.copyOf(queries);
        inferences = List.copyOf(inferences);
        if (queries.isEmpty() && inferences.isEmpty()) {
            throw new IllegalArgumentException("a plan needs at least one query or inference");
        }
        Set<String> names = new HashSet<>();
        for (Query q : queries) {
            if (!names.add(q.name())) {
                throw new IllegalArgumentException("two outputs named '" + q.name() + "'");
            }
            validate(format, q);
        }
        for (Inference i : inferences) {
            if (!names.add(i.name())) {
                throw new IllegalArgumentException("two outputs named '" + i.name() + "'");
            }
            validateInference(format, i);
        }
    }

    /** A plan of aggregations only. */
    public Plan(InputFormat format, List<Query> queries) {
        this(format, queries, List.of());
    }

    /** Number of outputs (frames per batch): queries, then inferences. */
    public int outputCount() {
        return queries.size() + inferences.size();
    }

    /** A validated plan. */
    public static Plan of(InputFormat format, List<Query> queries) {
        return new Plan(format, queries);
    }

    /** A validated plan. */
    public static Plan of(InputFormat format, Query... queries) {
        return new Plan(format, List.of(queries));
    }

    /** The type of the output column an aggregate produces over a column of {@code input} type. */
    public static ColumnType resultType(AggFn fn, ColumnType input) {
        switch (fn) {
            case COUNT: return ColumnType.LONG;
            case MEAN: return ColumnType.DOUBLE;
            default: return input;
        }
    }

    /** The type of the output column of group key {@code key} of {@code query} (a tokenized query's word is a string). */
    public ColumnType keyType(Query query, GroupKey key) {
        if (query.tokenize().isPresent() && key.column().equals(query.tokenize().get().alias())) {
            return ColumnType.UTF8;
        }
        return format.field(key.column()).orElseThrow().type();
    }

    /** The type of the output column of aggregate {@code aggregate} of {@code query}. */
    public ColumnType aggregateType(Aggregate aggregate) {
        ColumnType input = aggregate.column() == null ? ColumnType.LONG : format.field(aggregate.column()).orElseThrow().type();
        return resultType(aggregate.fn(), input);
    }

    /**
     * The columns some output reads: the format's fields in schema order (what {@link #decodedFields()}
     * gives), then the {@linkplain RecordMetadata record metadata} columns by name; a backend decodes
     * only these.
     */
    public List<Field> referencedFields() {
        Set<String> used = usedNames();
        List<Field> fields = new ArrayList<>(decodedFields(used));
        fields.addAll(metadataFields(used));
        return List.copyOf(fields);
    }

    /** The format's own fields some output reads, in schema order: what the format's decoder fills. */
    public List<Field> decodedFields() {
        return decodedFields(usedNames());
    }

    /** Whether some output reads a record metadata column (asked per batch by a backend choosing where to run it). */
    public boolean readsMetadata() {
        return !metadataFields(usedNames()).isEmpty();
    }

    private List<Field> decodedFields(Set<String> used) {
        return format.schema().stream().filter(f -> used.contains(f.name())).toList();
    }

    /** The record metadata columns among {@code used}, by name. */
    private List<Field> metadataFields(Set<String> used) {
        return used.stream().sorted().map(format::field).flatMap(Optional::stream)
                .filter(f -> RecordMetadata.isMetadata(format, f)).toList();
    }

    private Set<String> usedNames() {
        Set<String> used = new HashSet<>();
        inferences.forEach(i -> used.addAll(i.columns()));
        for (Query q : queries) {
            if (q.tokenize().isPresent()) {
                // The word column is made by the backend; only the text column is decoded.
                used.add(q.tokenize().get().column());
                continue;
            }
            q.filters().forEach(f -> used.add(f.column()));
            q.window().ifPresent(w -> used.add(w.column()));
            q.keys().forEach(k -> used.add(k.column()));
            q.aggregates().forEach(a -> {
                if (a.column() != null) {
                    used.add(a.column());
                }
            });
        }
        return used;
    }

    private static void validate(InputFormat format, Query q) {
        if (q.tokenize().isPresent()) {
            validateTokenized(format, q, q.tokenize().get());
            return;
        }
        for (Filter f : q.filters()) {
            Field field = field(format, q, f.column(), "filter");
            try {
                switch (field.type()) {
                    case LONG: f.longLiteral(); break;
                    case DOUBLE: f.doubleLiteral(); break;
                    default: break;
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("query '" + q.name() + "': filter " + f + " compares "
                        + field.type().name().toLowerCase(Locale.ROOT) + " column '" + f.column() + "' with '" + f.literal() + "'");
            }
        }
        for (GroupKey k : q.keys()) {
            field(format, q, k.column(), "group key");
        }
        if (q.window().isPresent()) {
            String column = q.window().get().column();
            ColumnType type = field(format, q, column, "window").type();
            if (type == ColumnType.DOUBLE) {
                throw new IllegalArgumentException("query '" + q.name() + "': window column '" + column
                        + "' must be a long of epoch " + q.window().get().unit().name().toLowerCase(Locale.ROOT)
                        + " or a string of ISO-8601 or CLF date-times");
            }
        }
        for (Aggregate a : q.aggregates()) {
            if (a.column() == null) {
                continue;
            }
            Field field = field(format, q, a.column(), "aggregate");
            if (field.type() == ColumnType.UTF8) {
                throw new IllegalArgumentException("query '" + q.name() + "': " + a + " needs a numeric column, '"
                        + a.column() + "' is a string");
            }
        }
    }

    private static void validateInference(InputFormat format, Inference inference) {
        if (inference instanceof Recommend r) {
            Field user = format.field(r.user()).orElseThrow(() -> new IllegalArgumentException("recommend '" + r.name()
                    + "': user column '" + r.user() + "' is not a field of the " + format.name() + " format"));
            if (user.type() != ColumnType.LONG) {
                throw new IllegalArgumentException("recommend '" + r.name() + "': user column '" + r.user() + "' must be a long");
            }
        } else if (inference instanceof Classify c) {
            format.field(c.id()).orElseThrow(() -> new IllegalArgumentException("classify '" + c.name()
                    + "': id column '" + c.id() + "' is not a field of the " + format.name() + " format"));
            for (String f : c.features()) {
                Field field = format.field(f).orElseThrow(() -> new IllegalArgumentException("classify '" + c.name()
                        + "': feature '" + f + "' is not a field of the " + format.name() + " format"));
                if (field.type() == ColumnType.UTF8) {
                    throw new IllegalArgumentException("classify '" + c.name() + "': feature '" + f + "' must be numeric");
                }
            }
        }
    }

    /** After tokenizing, a query sees one column: the words. */
    private static void validateTokenized(InputFormat format, Query q, Tokenize t) {
        Field text = field(format, q, t.column(), "tokenize");
        if (text.type() != ColumnType.UTF8) {
            throw new IllegalArgumentException("query '" + q.name() + "': tokenize needs a string column, '" + t.column() + "' is "
                    + text.type().name().toLowerCase(Locale.ROOT));
        }
        for (Filter f : q.filters()) {
            if (!f.column().equals(t.alias())) {
                throw new IllegalArgumentException("query '" + q.name() + "': after tokenize only '" + t.alias() + "' can be filtered, not '" + f.column() + "'");
            }
        }
        for (GroupKey k : q.keys()) {
            if (!k.column().equals(t.alias())) {
                throw new IllegalArgumentException("query '" + q.name() + "': after tokenize only '" + t.alias() + "' can be a group key, not '" + k.column() + "'");
            }
        }
        for (Aggregate a : q.aggregates()) {
            if (a.column() != null) {
                throw new IllegalArgumentException("query '" + q.name() + "': after tokenize only count applies, not " + a);
            }
        }
    }

    private static Field field(InputFormat format, Query q, String column, String role) {
        return format.field(column).orElseThrow(() -> new IllegalArgumentException(
                "query '" + q.name() + "': " + role + " column '" + column + "' is not a field of the "
                        + format.name() + " format " + format.schema().stream().map(Field::name).toList()
                        + " nor a record metadata column (_key, _timestamp, _partition, _offset, _topic, _header.NAME)"));
    }
}
