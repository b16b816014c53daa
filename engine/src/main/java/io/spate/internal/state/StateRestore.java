package io.spate.internal.state;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.pattern.StatusReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.spate.PartitionTime;
import io.spate.Pipeline;
import io.spate.SpateSettings;
import io.spate.frame.Frame;
import io.spate.internal.compute.ComputeActor;
import io.spate.internal.kafka.KafkaClients;
import io.spate.internal.kafka.TopicReader;
import io.spate.internal.source.AssignmentListener;
import io.spate.plan.Plan;
import io.spate.plan.Query;

/**
 * Restores running aggregates when a pipeline starts: a running query's output topic is its
 * changelog (an upsert stream keyed by group, as Kafka Streams uses a source topic as a changelog),
 * so its last value per key is the state to start from. Read with {@code read_committed}: in
 * exactly-once mode that is exactly the state the committed offsets belong to; in at-least-once
 * mode it may be ahead of them, and re-read records count again (at-least-once).
 */
public final class StateRestore {

    private static final Logger LOG = LoggerFactory.getLogger(StateRestore.class);

    private final SpateSettings settings;
    private final Pipeline pipeline;
    private final ActorRef<ComputeActor.Command> actor;
    private final ActorSystem<?> system;
    private final boolean restore;

    private StateRestore(SpateSettings settings, Pipeline pipeline, ActorRef<ComputeActor.Command> actor, ActorSystem<?> system) {
        this.settings = settings;
        this.pipeline = pipeline;
        this.actor = actor;
        this.system = system;
        this.restore = settings.state().restore();
    }

    /**
     * Before the first batch of a pipeline that runs on one node: restores every running query of
     * {@code pipeline} into the compute actor and the windowed queries' event time, when
     * {@code spate.state.restore} is on; and tells the windowed queries every partition of their
     * input, so that one not read from yet holds back the dropping of old windows.
     */
    public static void restore(SpateSettings settings, Pipeline pipeline, ActorRef<ComputeActor.Command> actor, ActorSystem<?> system) {
        StateRestore r = new StateRestore(settings, pipeline, actor, system);
        r.restoreRunning(null);
        if (pipeline.windowed()) {
            r.restoreTimes(null);
        }
    }

    /**
     * The state of a pipeline whose partitions move between nodes (scale-out), kept per partition:
     * when the group assigns partitions, the state is dropped and that of all owned partitions read
     * again: running aggregates from the same partitions of the output topics (which are
     * partitioned like the input, see {@code ScaleOut}), event times from the changelog. Only
     * assignments do it: a cooperative rebalance that only takes partitions away leaves the state
     * of the partitions kept as it is (what it holds of the others is never emitted again, since no
     * record of theirs comes here, and is dropped at the next assignment).
     */
    public static AssignmentListener perPartition(SpateSettings settings, Pipeline pipeline,
                                                                            ActorRef<ComputeActor.Command> actor, ActorSystem<?> system) {
        StateRestore r = new StateRestore(settings, pipeline, actor, system);
        return new AssignmentListener() {
            @Override
            public void assigned(Set<TopicPartition> assignment) {
                r.ask("reset the state of " + pipeline.name(), replyTo -> new ComputeActor.Reset(pipeline.plan(), replyTo));
                r.restoreRunning(assignment.stream().map(TopicPartition::partition).collect(Collectors.toSet()));
                if (pipeline.windowed()) {
                    r.restoreTimes(assignment);
                }
            }
        };
    }

    /**
     * For a pipeline with state that runs on one node only: fails the stream, naming the fix, when
     * the group gives it less than all partitions of its input (a second node joined).
     */
    public static AssignmentListener singleNode(SpateSettings settings, Pipeline pipeline) {
        return new AssignmentListener() {
            @Override
            public void assigned(Set<TopicPartition> assignment) {
                int all = inputPartitions(settings, pipeline).size();
                if (assignment.size() < all) {
                    throw new IllegalStateException("pipeline " + pipeline.name() + " keeps running or windowed state on one node, but group "
                            + pipeline.groupId() + " gave this node " + assignment.size() + " of " + all + " partitions: another node joined."
                            + " Set spate.state.scale-out = true to partition the state across nodes.");
                }
            }
        };
    }

    /** Restores the running queries from (the partitions {@code partitions}, or all, of) their output topics. */
    private void restoreRunning(Set<Integer> partitions) {
        if (!restore) {
            return;
        }
        Plan plan = pipeline.plan();
        for (int q = 0; q < plan.queries().size(); q++) {
            Query query = plan.queries().get(q);
            if (!query.running()) {
                continue;
            }
            String topic = pipeline.outputTopics().get(q);
            Frame saved;
            try {
                saved = read(settings, plan, query, topic, partitions);
            } catch (RuntimeException e) {
                throw new IllegalStateException("cannot restore the running state of '" + query.name() + "' from " + topic + ": "
                        + e.getMessage(), e);
            }
            int index = q;
            ask("restore the running state of '" + query.name() + "'", replyTo -> new ComputeActor.Restore(plan, index, saved, replyTo));
            LOG.info("restored {} groups of {} from {}{}", saved.rows(), query.name(), topic, partitions == null ? "" : " partitions " + partitions);
        }
    }

    /** Restores the event time of the windowed queries for (the partitions of {@code assignment}, or all) input partitions. */
    private void restoreTimes(Set<TopicPartition> assignment) {
        List<PartitionTime> times = new ArrayList<>();
        for (PartitionTime t : restore ? readTimes(settings, pipeline) : List.<PartitionTime>of()) {
            if (assignment == null || assignment.contains(new TopicPartition(t.topic(), t.partition()))) {
                times.add(t);
            }
        }
        times.addAll(StateRecords.unread(pipeline.plan(), assignment == null ? inputPartitions(settings, pipeline) : assignment));
        ask("restore the event time of " + pipeline.name(), replyTo -> new ComputeActor.RestoreTimes(pipeline.plan(), times, replyTo));
        LOG.info("event time of {} ({} entries, saved times restored: {})", pipeline.name(), times.size(), restore);
    }

    /** Asks the compute actor, waiting for its answer; fails naming {@code what}. */
    private void ask(String what, Function<ActorRef<StatusReply<Done>>, ComputeActor.Command> message) {
        try {
            AskPattern.<ComputeActor.Command, StatusReply<Done>>ask(actor, message::apply,
                            Duration.ofMinutes(5), system.scheduler())
                    .toCompletableFuture().get(5, TimeUnit.MINUTES).getValue();
        } catch (Exception e) {
            throw new IllegalStateException("cannot " + what + ": " + e.getMessage(), e);
        }
    }

    /** Every partition of the pipeline's input topics (that exist). */
    private static Set<TopicPartition> inputPartitions(SpateSettings settings, Pipeline pipeline) {
        Set<TopicPartition> all = new HashSet<>();
        try (Admin admin = KafkaClients.admin(settings)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<String> topics = pipeline.topics().stream().filter(existing::contains).toList();
            for (TopicDescription d : admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).values()) {
                for (TopicPartitionInfo p : d.partitions()) {
                    all.add(new TopicPartition(d.name(), p.partition()));
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot list the partitions of " + pipeline.topics() + ": " + e.getMessage(), e);
        }
        return all;
    }

    /** The last event time per windowed query and input partition saved in the pipeline's event-time changelog. */
    private static List<PartitionTime> readTimes(SpateSettings settings, Pipeline pipeline) {
        StateRecords.LastValues last = new StateRecords.LastValues();
        TopicReader.of(settings).read(pipeline.eventTimeTopic(), null, r -> last.add(r.key(), r.value()));
        return StateRecords.eventTimes(pipeline, last.values());
    }

    /** The last value per key of {@code topic} (of its partitions {@code partitions}, or all), as a frame shaped like the query's output. */
    private static Frame read(SpateSettings settings, Plan plan, Query query, String topic, Set<Integer> partitions) {
        StateRecords.LastValues last = new StateRecords.LastValues();
        TopicReader.of(settings).read(topic, partitions, r -> last.add(r.key(), r.value()));
        return StateRecords.runningFrame(plan, query, last.values(), topic);
    }
}
