package io.spate.bench;

import java.time.Duration;

import io.spate.BatchSettings;
import io.spate.Pipeline;
import io.spate.plan.ClfFormat;

/** The golden-signals pipeline of {@code config/golden-signals.conf}, with topic names for one benchmark run. */
final class GoldenSignals {

    private GoldenSignals() {
    }

    static Pipeline pipeline(String input, String prefix, int batchRecords) {
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
}
