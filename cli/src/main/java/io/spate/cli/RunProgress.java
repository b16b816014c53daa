package io.spate.cli;

import java.io.PrintStream;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.spate.RunningPipeline;
import io.spate.SpateSettings;
import io.spate.internal.node.GroupStatusReader;
import io.spate.internal.node.Node;

/**
 * The progress bar of {@code spate run --until-idle} on a terminal, the one {@code spate demo}
 * draws: the records the pipelines have read, of the lag their groups had at the start (end
 * offsets less committed offsets). Drawn only on a terminal: a run whose output goes to a file or
 * a pipe (a service, a script) gets no bar and no admin client for it.
 */
final class RunProgress implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RunProgress.class);
    private static final long REDRAW_MILLIS = 200;

    private final ProgressBar bar;
    private final LongSupplier records;
    private final LongSupplier lagAtStart;
    private final Thread drawer;
    private volatile boolean closed;
    private volatile long total = -1;
    private volatile boolean drawn;
    private volatile boolean ended;

    private RunProgress(PrintStream out, LongSupplier records, LongSupplier lagAtStart) {
        this.bar = new ProgressBar(out, "reading", true);
        this.records = records;
        this.lagAtStart = lagAtStart;
        this.drawer = new Thread(this::draw, "spate-progress");
        drawer.setDaemon(true);
    }

    /** The bar of {@code node}'s pipelines on stderr when it is a terminal, else one that draws nothing. */
    static AutoCloseable forNode(Node node, SpateSettings settings) {
        return start(System.err, System.console() != null, () -> records(node), () -> {
            try (GroupStatusReader reader = new GroupStatusReader(settings)) {
                return reader.lag(node.pipelines());
            }
        });
    }

    /**
     * Starts drawing on {@code out} if {@code terminal}: {@code records()} of {@code lagAtStart()},
     * the latter asked for once, in the background, so that the node starts without waiting for it.
     */
    static AutoCloseable start(PrintStream out, boolean terminal, LongSupplier records, LongSupplier lagAtStart) {
        if (!terminal) {
            return () -> { };
        }
        RunProgress progress = new RunProgress(out, records, lagAtStart);
        progress.drawer.start();
        return progress;
    }

    private static long records(Node node) {
        long sum = 0;
        for (RunningPipeline r : node.running()) {
            sum += r.metrics().records();
        }
        return sum;
    }

    private void draw() {
        try {
            // Read before the lag, so records read meanwhile are not left out of the total.
            long before = records.getAsLong();
            total = lagAtStart.getAsLong() + before;
        } catch (RuntimeException e) {
            // No bar then; the node says itself what is wrong with the cluster.
            LOG.debug("no progress bar: the lag at start is unknown", e);
            return;
        }
        while (!closed && total > 0 && !ended) {
            // Not before the first records: the start-up's log lines would run into the bar.
            if (records.getAsLong() > 0) {
                update(false);
            }
            try {
                Thread.sleep(REDRAW_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * Draws the bar; ends its line once the lag at the start is read, or {@code last}, so that
     * what the node logs next (caught up, stopped) starts on a line of its own.
     */
    private synchronized void update(boolean last) {
        if (ended) {
            return;
        }
        long done = records.getAsLong();
        bar.update(done, Math.max(total, done), "records");
        drawn = true;
        if (last || done >= total) {
            bar.finish();
            ended = true;
        }
    }

    /** Draws the bar a last time if it was drawn, and ends its line. */
    @Override
    public void close() throws InterruptedException {
        closed = true;
        drawer.interrupt();
        drawer.join(TimeUnit.SECONDS.toMillis(1));
        if (drawn) {
            update(true);
        }
    }
}
