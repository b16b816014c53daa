package io.spate.cli;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicBoolean;

import io.spate.internal.node.Node;

/**
 * Runs a started node until it stops by itself or the JVM is asked to stop. On SIGTERM or SIGINT
 * the JVM runs shutdown hooks; ours drains the node (in-flight batches are computed, produced and
 * committed) and then ends the process with status 0, since a drained stop is a clean one.
 */
final class NodeShutdown {

    private NodeShutdown() {
    }

    /**
     * Starts {@code node} with the SIGTERM hook already in place, so a stop during start-up drains too;
     * {@code progress} (a progress bar) is closed before the summary is printed.
     */
    static int startAndRun(Node node, boolean untilIdle, PrintStream out, AutoCloseable progress) throws InterruptedException {
        AtomicBoolean finished = new AtomicBoolean();
        Thread hook = new Thread(() -> {
            if (finished.get()) {
                return;
            }
            int rc = 1;
            try {
                rc = node.stop();
                report(node, out, progress);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                // Without this, the JVM reports 143 for SIGTERM even after a clean drain.
                Runtime.getRuntime().halt(rc);
            }
        }, "spate-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            node.start();
        } catch (RuntimeException e) {
            // A failed start must not end in the hook's clean exit code: stop what started, then fail.
            finished.set(true);
            Runtime.getRuntime().removeShutdownHook(hook);
            node.stop();
            endProgress(progress);
            throw e;
        }
        int rc = node.awaitAndStop(untilIdle);
        finished.set(true);
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
            report(node, out, progress);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The hook is running: it prints the summary and ends the process.
        }
        return rc;
    }

    /** The run summary on {@code out}, then a line on stderr for each pipeline that failed. */
    private static void report(Node node, PrintStream out, AutoCloseable progress) {
        ClassArchive.markIfWorked(node.running());
        endProgress(progress);
        node.printSummary(out);
        out.flush();
        node.failures().forEach(f -> System.err.println("spate: " + f));
        System.err.flush();
    }

    /** Ends the progress bar's line; a bar that cannot be drawn is no reason to fail the run. */
    private static void endProgress(AutoCloseable progress) {
        try {
            progress.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // Nothing to tell: the bar is decoration.
        }
    }
}
