package io.spate.internal.source;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.SourceShape;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.stage.GraphStageWithMaterializedValue;

import io.spate.BatchSettings;
import io.spate.BatchSourceControl;
import io.spate.Pipeline;
import io.spate.RecordBatch;
import io.spate.SpateSettings;
import io.spate.internal.kafka.ClientListener;
import scala.Tuple2;

/**
 * A batch-native Kafka source: one stream element per batch (a {@link RecordBatch} with the
 * offsets to commit), filled by a {@link PollLoop} thread that owns the consumer. It does what the
 * connector's committable source plus the batcher do, without a stream element and a message
 * object per record, which is where a per-record source spends its time.
 *
 * <p>Its materialized {@link BatchSourceControl} stops it (the open batch is emitted, then the source
 * completes, while commits keep being served) and, once the stream has finished, shuts the
 * consumer down.
 */
public final class KafkaBatchSource extends GraphStageWithMaterializedValue<SourceShape<RecordBatch>, BatchSourceControl> {

    private final Map<String, Object> properties;
    private final List<String> topics;
    private final BatchSettings limits;
    private final String name;
    private final Duration drainTimeout;
    private final AssignmentListener assignments;
    private final ClientListener clients;
    private final Outlet<RecordBatch> out = Outlet.create("KafkaBatchSource.out");
    private final SourceShape<RecordBatch> shape = SourceShape.of(out);

    private KafkaBatchSource(Map<String, Object> properties, List<String> topics, BatchSettings limits, String name,
                             Duration drainTimeout, AssignmentListener assignments, ClientListener clients) {
        this.properties = properties;
        this.clients = clients;
        this.drainTimeout = drainTimeout;
        this.assignments = assignments;
        this.topics = topics;
        this.limits = limits;
        this.name = name;
    }

    /**
     * The source of {@code pipeline}: its topics, group and starting offset; batches closed at
     * {@code limits} and built in {@code limits.buffers()} (the runner lends the backend's staging
     * buffers there); {@code assignments} told when the group moves partitions.
     */
    public static KafkaBatchSource of(SpateSettings settings, Pipeline pipeline, BatchSettings limits, AssignmentListener assignments) {
        return of(settings, pipeline, limits, assignments, ClientListener.NONE);
    }

    /** {@link #of(SpateSettings, Pipeline, BatchSettings, AssignmentListener)}, telling {@code clients} of its consumer. */
    public static KafkaBatchSource of(SpateSettings settings, Pipeline pipeline, BatchSettings limits, AssignmentListener assignments,
                                      ClientListener clients) {
        Map<String, Object> props = new HashMap<>(settings.consumerProperties());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, pipeline.groupId());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, pipeline.startingOffset().name().toLowerCase(Locale.ROOT));
        if (settings.namedNode()) {
            // A named node is a static group member: restarted, it takes its partitions back at once
            // instead of waiting for the group to time the old member out.
            props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, pipeline.groupId() + "-" + settings.nodeId());
        }
        if (settings.exactlyOnce()) {
            // Read only committed input, so a chain of exactly-once pipelines stays exactly-once.
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        }
        return new KafkaBatchSource(props, pipeline.topics(), limits, pipeline.name(), settings.source().drainTimeout(), assignments, clients);
    }

    @Override
    public SourceShape<RecordBatch> shape() {
        return shape;
    }

    @Override
    public Tuple2<GraphStageLogic, BatchSourceControl> createLogicAndMaterializedValue(Attributes attributes) {
        Logic logic = new Logic();
        return new Tuple2<>(logic, logic);
    }

    /** The running stage; public only so its callbacks can be serializable method references. */
    public final class Logic extends GraphStageLogic implements BatchSourceControl {
        private final AsyncCallback<RecordBatch> onBatch = createAsyncCallback(this::emit);
        private final AsyncCallback<Boolean> onComplete = createAsyncCallback(this::complete);
        private final AsyncCallback<Throwable> onFailure = createAsyncCallback(this::failStage);
        private final PollLoop loop = new PollLoop(properties, topics, limits, drainTimeout, assignments, clients, new PollLoop.Output() {
            @Override
            public void deliver(RecordBatch batch) {
                onBatch.invoke(batch);
            }

            @Override
            public void complete() {
                onComplete.invoke(Boolean.TRUE);
            }

            @Override
            public void fail(Throwable error) {
                onFailure.invoke(error);
            }
        });

        Logic() {
            super(shape);
            setHandler(out, new AbstractOutHandler() {
                @Override
                public void onPull() {
                    loop.request();
                }

                @Override
                public void onDownstreamFinish(Throwable cause) {
                    // Cancelled: nothing downstream will commit any more.
                    loop.stop();
                    loop.close();
                    cancelStage(cause);
                }
            });
        }

        /** Pushes a batch the loop delivered (public for the callback's serializable method reference). */
        public void emit(RecordBatch batch) {
            push(out, batch);
        }

        /** Completes the stage once the loop has handed over its last batch (public, as {@link #emit}). */
        public void complete(Boolean done) {
            completeStage();
        }

        @Override
        public void preStart() {
            Thread thread = new Thread(loop, "spate-source-" + name);
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void stop() {
            loop.stop();
        }

        @Override
        public CompletionStage<Void> shutdown() {
            loop.stop();
            return loop.close();
        }
    }
}
