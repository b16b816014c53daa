package io.spate.cli;

import java.io.PrintStream;

/**
 * A one-line progress bar: redrawn in place on a terminal, printed as plain lines (at most one
 * per 10%) when the output is a file or a pipe. It shows done/total, optionally bytes, the rate
 * and the time left.
 */
final class ProgressBar {

    private static final int WIDTH = 30;

    private final PrintStream out;
    private final String label;
    private final boolean terminal;
    private final long startNanos = System.nanoTime();
    private int lastDecile = -1;

    ProgressBar(PrintStream out, String label) {
        this(out, label, System.console() != null);
    }

    ProgressBar(PrintStream out, String label, boolean terminal) {
        this.out = out;
        this.label = label;
        this.terminal = terminal;
    }

    /** Shows {@code done} of {@code total} items. */
    void update(long done, long total, String unit) {
        update(done, total, unit, -1);
    }

    /** Shows {@code done} of {@code total} items and, when not negative, {@code bytes} read so far. */
    void update(long done, long total, String unit, long bytes) {
        double fraction = total <= 0 ? 1 : Math.min(1, (double) done / total);
        double secs = Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
        double rate = done / secs;
        String size = bytes < 0 ? "" : String.format(", %.1f MB", bytes / 1e6);
        String eta = done >= total || rate <= 0 ? "" : String.format(", ETA %.0f s", (total - done) / rate);
        String text = String.format("%-10s %s %3.0f%% %,d/%,d %s%s, %,.0f %s/s%s",
                label, bar(fraction), fraction * 100, done, total, unit, size, rate, unit, eta);
        if (terminal) {
            out.print("\r" + text + "   ");
            out.flush();
        } else {
            int decile = (int) (fraction * 10);
            if (decile != lastDecile) {
                lastDecile = decile;
                out.println(text);
            }
        }
    }

    /** Ends the bar's line. */
    void finish() {
        if (terminal) {
            out.println();
        }
    }

    private static String bar(double fraction) {
        int full = (int) Math.round(fraction * WIDTH);
        return "[" + "#".repeat(full) + "-".repeat(WIDTH - full) + "]";
    }
}
