package io.spate.gpu.internal;

import java.nio.ByteBuffer;

import io.spate.RecordBatch;
import io.spate.internal.cpu.WindowKernel;

/**
 * The host's step between the device's decode and its windowed group-by: from the verdicts, which
 * records passed the filters and their times (all copied back from the device), the CPU's own
 * {@link WindowKernel} decides which open windows each record goes to, moving its partition's
 * event time, so that lateness follows exactly the CPU's rules; the (record, window) entries then
 * go back to the device in one buffer: the rows as ints, then the window starts as longs.
 */
final class WindowEntries {

    private int[] accepted = new int[0];
    private int[] sel = new int[0];
    private long[] times = new long[0];

    /**
     * Assigns the windows of a batch of {@code n} records with {@code window}; {@code reason} holds
     * each record's verdict byte, {@code selected} a 1 for each that passes the filters and
     * {@code time} the time column. Writes the entries into {@code out} (room for
     * {@link #bytes} of {@code n} records, {@code perRecord} windows each); returns their number.
     */
    int assign(WindowKernel window, RecordBatch batch, int n, ByteBuffer reason, ByteBuffer selected, ByteBuffer time, ByteBuffer out) {
        if (accepted.length < n) {
            accepted = new int[n];
            sel = new int[n];
            times = new long[n];
        }
        int acceptedCount = 0;
        int selCount = 0;
        for (int row = 0; row < n; row++) {
            if (reason.get(row) == 0) {
                accepted[acceptedCount++] = row;
                if (selected.get(row) != 0) {
                    sel[selCount++] = row;
                }
            }
        }
        time.asLongBuffer().get(times, 0, n);
        window.assign(times, accepted, acceptedCount, batch, sel, selCount);
        int entries = window.entries();
        int[] entrySel = window.entrySel();
        long[] entryStart = window.entryStart();
        for (int e = 0; e < entries; e++) {
            out.putInt(4 * e, sel[entrySel[e]]);
        }
        int starts = startsOffset(entries);
        for (int e = 0; e < entries; e++) {
            out.putLong(starts + 8 * e, entryStart[e]);
        }
        return entries;
    }

    /** Where the window starts begin in the entry buffer: after the rows, aligned for longs. */
    static int startsOffset(int entries) {
        return (4 * entries + 7) & ~7;
    }

    /** The most bytes the entries of {@code n} records, {@code perRecord} windows each, take. */
    static long bytes(int n, int perRecord) {
        long entries = (long) n * perRecord;
        return ((4 * entries + 7) & ~7L) + 8 * entries;
    }
}
