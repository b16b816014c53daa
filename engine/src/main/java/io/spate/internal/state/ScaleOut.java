package io.spate.internal.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;

import io.spate.Pipeline;
import io.spate.SpateSettings;
import io.spate.frame.ColumnType;
import io.spate.internal.kafka.KafkaClients;
import io.spate.plan.AggFn;
import io.spate.plan.Aggregate;
import io.spate.plan.Field;
import io.spate.plan.GroupKey;
import io.spate.plan.JsonFormat;
import io.spate.plan.Plan;
import io.spate.plan.Query;
import io.spate.plan.Window;

/**
 * Running state across nodes ({@code spate.state.scale-out = true}), as Kafka Streams does it: a
 * pipeline with running queries runs as stages. The input stage reads the input like any pipeline
 * but computes each running query per batch only (filters, windows and lateness included) and
 * writes these partial aggregates, keyed by group, to a repartition topic. One merge stage per
 * running query reads that topic and adds the partials into the running totals it writes to the
 * query's output topic. Kafka's partitioner sends every group to one partition of the repartition
 * topic, so each group's state lives on the one node that owns that partition; the output topic has
 * as many partitions and the same keys, so the state of partition {@code p} is the last values in
 * output partition {@code p}, which a node reads when the group assigns it {@code p}.
 *
 * <p>Each stage has its own consumer group and, exactly-once, its own transactions: the input
 * stage commits its input offsets with the partials, the merge stage its repartition offsets with
 * the totals. A running mean cannot be merged from partial means and is refused.
 */
public final class ScaleOut {

    private ScaleOut() {
    }

    /** Whether {@code pipeline} runs in stages: scale-out is on and it has a running query. */
    public static boolean applies(SpateSettings settings, Pipeline pipeline) {
        return settings.state().scaleOut() && pipeline.plan().queries().stream().anyMatch(Query::running);
    }

    /** The topic between the input stage and the merge stage of {@code output}. */
    public static String repartitionTopic(Pipeline pipeline, String output) {
        return pipeline.groupId() + "-" + output + "-repartition";
    }

    /** The stages of {@code pipeline}: the input stage first, then one merge stage per running query. */
    public static List<Pipeline> stages(Pipeline pipeline) {
        Plan plan = pipeline.plan();
        List<Query> inputQueries = new ArrayList<>();
        List<String> inputOutputs = new ArrayList<>(pipeline.outputTopics());
        List<Pipeline> merges = new ArrayList<>();
        for (int q = 0; q < plan.queries().size(); q++) {
            Query query = plan.queries().get(q);
            if (!query.running()) {
                inputQueries.add(query);
                continue;
            }
            String output = pipeline.outputTopics().get(q);
            String repartition = repartitionTopic(pipeline, output);
            inputQueries.add(partial(query, output));
            inputOutputs.set(q, repartition);
            merges.add(new Pipeline(pipeline.name() + "." + output + ".merge", List.of(repartition), pipeline.groupId() + "-" + output + "-merge",
                    Pipeline.StartingOffset.EARLIEST, merge(plan, query), List.of(output), repartition + ".dlq", pipeline.batch()));
        }
        List<Pipeline> stages = new ArrayList<>();
        stages.add(new Pipeline(pipeline.name(), pipeline.topics(), pipeline.groupId(), pipeline.startingOffset(),
                new Plan(plan.format(), inputQueries, plan.inferences()), inputOutputs, pipeline.deadLetterTopic(), pipeline.batch()));
        stages.addAll(merges);
        return stages;
    }

    /** The query of the input stage: this batch's aggregates only, no threshold (it applies to totals). */
    private static Query partial(Query query, String output) {
        for (Aggregate a : query.aggregates()) {
            if (a.fn() == AggFn.MEAN) {
                throw new IllegalArgumentException("output '" + output + "': a running mean cannot scale out (partial means do not add up);"
                        + " write sum and count instead");
            }
        }
        return new Query(query.name(), query.filters(), query.keys(), query.aggregates(), Optional.empty(), query.tokenize(), false,
                query.window());
    }

    /** The merge stage's plan: the partials as JSON, grouped by all their keys, added into running totals. */
    private static Plan merge(Plan plan, Query query) {
        List<Field> fields = new ArrayList<>();
        List<GroupKey> keys = new ArrayList<>();
        if (query.window().isPresent()) {
            for (String w : List.of(Window.START, Window.END)) {
                fields.add(new Field(w, ColumnType.LONG));
                keys.add(new GroupKey(w, w));
            }
        }
        for (GroupKey k : query.keys()) {
            fields.add(new Field(k.alias(), plan.keyType(query, k)));
            keys.add(new GroupKey(k.alias(), k.alias()));
        }
        List<Aggregate> totals = new ArrayList<>();
        for (Aggregate a : query.aggregates()) {
            fields.add(new Field(a.alias(), plan.aggregateType(a)));
            switch (a.fn()) {
                case MIN: totals.add(Aggregate.min(a.alias(), a.alias())); break;
                case MAX: totals.add(Aggregate.max(a.alias(), a.alias())); break;
                default: totals.add(Aggregate.sum(a.alias(), a.alias())); break;
            }
        }
        return new Plan(new JsonFormat(fields), List.of(new Query(query.name(), List.of(), keys, totals, query.having(), Optional.empty(),
                true, Optional.empty())));
    }

    /**
     * Creates the merge stages' topics through {@code admin}, with {@code configs} (the preflight's
     * {@code max.message.bytes}): each output topic if missing, then its repartition topic with as
     * many partitions, so that a group's partial and total land in partitions of the same number.
     */
    public static void createTopics(SpateSettings settings, Admin admin, List<Pipeline> stages, Map<String, String> configs) {
        for (Pipeline merge : stages.subList(1, stages.size())) {
            KafkaClients.createOutputTopics(settings, admin, merge, configs);
        }
        try {
            for (Pipeline merge : stages.subList(1, stages.size())) {
                String repartition = merge.topics().get(0);
                String output = merge.outputTopics().get(0);
                int partitions = KafkaClients.partitionCount(admin, output);
                KafkaClients.createTopics(settings, admin, List.of(repartition), partitions, configs);
                int have = KafkaClients.partitionCount(admin, repartition);
                if (have != partitions) {
                    throw new IllegalStateException("repartition topic " + repartition + " has " + have + " partitions but output " + output
                            + " has " + partitions + ": a group's partials and totals would land on different partitions");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating repartition topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create the repartition topics of " + stages.get(0).name() + ": " + e.getMessage(), e);
        }
    }
}
