package io.spate.bench;

import java.time.Duration;
import java.util.List;

import io.spate.BatchSettings;
import io.spate.Pipeline;
import io.spate.plan.ClfFormat;
import io.spate.testkit.KafkaTopics;

/**
 * The golden signals of {@code config/golden-signals.conf} over the log lines as they are: requests,
 * 5xx errors and bytes sent per host, one record per host (and status) per batch.
 */
final class GoldenSignals implements Workload {

    static final String NAME = "golden-signals";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<byte[]> input(List<byte[]> lines, long n) {
        return Cycled.of(lines, n);
    }

    @Override
    public Pipeline pipeline(String input, String prefix, int batchRecords) {
        return Pipeline.builder(prefix + "golden-signals")
                .source(input)
                .groupId(prefix + "spate")
                .format(new ClfFormat())
                .output(prefix + "traffic", q -> q.groupBy("host").count("requests"))
                .output(prefix + "errors", q -> q.where("status >= 500").groupBy("host", "status as response").count("errors"))
                .output(prefix + "mb-sent", q -> q.groupBy("host").sum("bytes", "bytes"))
                .deadLetterTopic(prefix + "weblogs.dlq")
                .batch(BatchSettings.of(batchRecords, 64L << 20, Duration.ofMillis(200)))
                .build();
    }

    /** The per-host totals of the input; Spate's and Pekko's outputs are summed, Kafka Streams' read as last values. */
    @Override
    public Expected expected(List<byte[]> lines, long n) {
        Totals expected = Totals.ofCycled(lines, n);
        return (bootstrap, prefix, lastValues) -> Totals.ofOutputs(KafkaTopics.readAll(bootstrap, prefix + "traffic"),
                KafkaTopics.readAll(bootstrap, prefix + "errors"), KafkaTopics.readAll(bootstrap, prefix + "mb-sent"), lastValues)
                .differenceFrom(expected);
    }
}
