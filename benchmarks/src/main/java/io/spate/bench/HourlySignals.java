package io.spate.bench;

import java.time.Duration;
import java.util.List;

import io.spate.BatchSettings;
import io.spate.Pipeline;
import io.spate.plan.ClfFormat;
import io.spate.plan.Window;

/**
 * The golden signals per hour of log time of {@code config/golden-signals-hourly.conf}: requests,
 * 5xx errors and bytes per host in 1-hour windows of the CLF time (out-of-orderness 10 minutes,
 * no allowed lateness), running, so each output is an upsert stream keyed by
 * (window_start, window_end, host[, response]). The input is the log lines with each cycle's
 * times moved on by whole days ({@link ShiftedLog}), so that time only moves forward.
 */
final class HourlySignals implements Workload {

    static final String NAME = "hourly";
    static final Duration WINDOW = Duration.ofHours(1);
    static final Duration OUT_OF_ORDERNESS = Duration.ofMinutes(10);

    @Override
    public String name() {
        return NAME;
    }

    /**
     * @throws IllegalArgumentException when the lines are not in time order within the
     *         out-of-orderness: some would be late, and the totals could not be known without
     *         knowing which partition each line lands in
     */
    @Override
    public List<byte[]> input(List<byte[]> lines, long n) {
        return inOrder(new ShiftedLog(lines)).cycled(n);
    }

    @Override
    public Pipeline pipeline(String input, String prefix, int batchRecords) {
        Window window = Window.tumbling("timestamp", WINDOW).withOutOfOrderness(OUT_OF_ORDERNESS).withAllowedLateness(Duration.ZERO);
        return Pipeline.builder(prefix + "golden-signals-hourly")
                .source(input)
                .groupId(prefix + "spate")
                .format(new ClfFormat())
                .output(prefix + "traffic-hourly", q -> q.groupBy("host").count("requests").window(window).running())
                .output(prefix + "errors-hourly", q -> q.where("status >= 500").groupBy("host", "status as response").count("errors")
                        .window(window).running())
                .output(prefix + "mb-sent-hourly", q -> q.groupBy("host").sum("bytes", "bytes").window(window).running())
                .deadLetterTopic(prefix + "weblogs.dlq")
                .batch(BatchSettings.of(batchRecords, 64L << 20, Duration.ofMillis(200)))
                .build();
    }

    /** Every window's totals over the input, no line late; the outputs are read as last values whatever the variant. */
    @Override
    public Expected expected(List<byte[]> lines, long n) {
        HourlyTotals expected = HourlyTotals.ofCycled(inOrder(new ShiftedLog(lines)), n, WINDOW.toMillis());
        return (bootstrap, prefix, lastValues) -> HourlyTotals.ofOutputs(bootstrap, prefix, WINDOW.toMillis()).differenceFrom(expected);
    }

    private static ShiftedLog inOrder(ShiftedLog log) {
        int late = log.firstLate(WINDOW.toMillis(), OUT_OF_ORDERNESS.toMillis());
        if (late >= 0) {
            throw new IllegalArgumentException("the hourly workload needs log lines in time order (within " + OUT_OF_ORDERNESS.toMinutes()
                    + " minutes); line " + (late + 1) + " would be late");
        }
        return log;
    }
}
