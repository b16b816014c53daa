package io.spate.internal.cpu;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import io.spate.frame.ColumnType;
import io.spate.internal.codec.DecodedBatch;
import io.spate.plan.Field;
import io.spate.plan.Tokenize;

/**
 * Splits the text column of the accepted records into words: a decoded batch of one string column
 * with one row per word. Words that need no rewriting are slices of the batch bytes (no copy);
 * lower-cased words, and words of text that the decoder had to rewrite (JSON escapes), are
 * written to the word batch's arena. Nothing is allocated per word except for non-ASCII words
 * that must be lower-cased, which go through {@link String#toLowerCase(Locale)}.
 */
final class TokenizeKernel {

    /** A byte of a word: a lower-case ASCII letter, a digit or {@code _}. */
    private static final byte WORD = 1;
    /** A byte of a word that lower-casing changes: an upper-case ASCII letter. */
    private static final byte UPPER = 2;
    /** A byte of a word outside ASCII (of a UTF-8 character). */
    private static final byte NON_ASCII = 4;
    /**
     * What each byte value is in a word (0: not part of one): one load instead of five comparisons
     * per byte of text, and the word's scan gathers what {@link #emit} needs to know of it.
     */
    private static final byte[] CLASSES = new byte[256];

    static {
        for (int b = 0; b < 256; b++) {
            CLASSES[b] = b >= 0x80 ? NON_ASCII : b >= 'A' && b <= 'Z' ? UPPER
                    : (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '_' ? WORD : 0;
        }
    }

    private final int textColumn;
    private final boolean lowercase;
    private final DecodedBatch words;
    /** Words in the last batch: the next batch's first guess. */
    private int expected;

    /** A tokenizer of {@code tokenize.column()} of batches laid out as {@code layout}. */
    TokenizeKernel(Tokenize tokenize, DecodedBatch layout) {
        this.textColumn = layout.columnIndex(tokenize.column());
        this.lowercase = tokenize.lowercase();
        this.words = new DecodedBatch(List.of(new Field(tokenize.alias(), ColumnType.UTF8)));
    }

    /** The layout of the word batches this kernel makes (for the query's other kernels). */
    DecodedBatch layout() {
        return words;
    }

    /**
     * The words of the accepted records of {@code batch}, every one accepted. One pass over the
     * text: the word batch starts with room for as many words as the last batch had (plus a
     * quarter) and grows when a batch has more.
     */
    DecodedBatch run(DecodedBatch batch) {
        int[] accepted = batch.accepted();
        int n = batch.acceptedCount();
        int[] textStarts = batch.starts(textColumn);
        int[] textLengths = batch.lengths(textColumn);
        words.reset(batch.data(), Math.max(1024, expected + (expected >> 2)));
        int[] starts = words.starts(0);
        int[] lengths = words.lengths(0);
        int row = 0;
        for (int i = 0; i < n; i++) {
            int r = accepted[i];
            byte[] src = batch.source(textStarts[r]);
            boolean inBatch = textStarts[r] >= 0;
            int p = DecodedBatch.offset(textStarts[r]);
            int end = p + textLengths[r];
            while (p < end) {
                while (p < end && CLASSES[src[p] & 0xFF] == 0) {
                    p++;
                }
                int from = p;
                int classes = 0;
                for (int c; p < end && (c = CLASSES[src[p] & 0xFF]) != 0; p++) {
                    classes |= c;
                }
                if (p == from) {
                    continue;
                }
                if (row == starts.length) {
                    words.resize(row + 1);
                    starts = words.starts(0);
                    lengths = words.lengths(0);
                }
                if (inBatch && (!lowercase || (classes & (UPPER | NON_ASCII)) == 0)) {
                    starts[row] = from;
                    lengths[row] = p - from;
                } else {
                    rewrite(row, src, from, p, classes);
                }
                row++;
            }
        }
        words.resize(row);
        words.acceptUpTo(row);
        expected = row;
        return words;
    }

    /**
     * Writes the word {@code src[from, to)} as row {@code row} in the arena: lower-cased, or copied
     * from text that is not in the batch bytes (the only other case); {@code classes}: its bytes'
     * {@link #CLASSES} or-ed.
     */
    private void rewrite(int row, byte[] src, int from, int to, int classes) {
        boolean upper = (classes & UPPER) != 0;
        boolean ascii = (classes & NON_ASCII) == 0;
        if (lowercase && !ascii) {
            byte[] lowered = new String(src, from, to - from, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
            words.setArenaSlice(0, row, words.arena().append(lowered, 0, lowered.length), lowered.length);
        } else if (lowercase && upper) {
            int start = words.arena().size();
            for (int i = from; i < to; i++) {
                byte b = src[i];
                words.arena().append(b >= 'A' && b <= 'Z' ? (byte) (b + 32) : b);
            }
            words.setArenaSlice(0, row, start, to - from);
        } else {
            words.setArenaSlice(0, row, words.arena().append(src, from, to), to - from);
        }
    }
}
