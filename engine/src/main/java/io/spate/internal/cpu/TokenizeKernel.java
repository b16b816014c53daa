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

    /** {@link #isWordByte} by byte value: one load instead of five comparisons per byte of text. */
    private static final boolean[] WORD_BYTES = new boolean[256];

    static {
        for (int b = 0; b < 256; b++) {
            WORD_BYTES[b] = b >= 0x80 || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '_';
        }
    }

    private final int textColumn;
    private final boolean lowercase;
    private final DecodedBatch words;

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

    /** The words of the accepted records of {@code batch}, every one accepted. */
    DecodedBatch run(DecodedBatch batch) {
        int[] accepted = batch.accepted();
        int n = batch.acceptedCount();
        int[] starts = batch.starts(textColumn);
        int[] lengths = batch.lengths(textColumn);
        int count = 0;
        for (int i = 0; i < n; i++) {
            int r = accepted[i];
            count += countWords(batch.source(starts[r]), DecodedBatch.offset(starts[r]), lengths[r]);
        }
        words.reset(batch.data(), count);
        int row = 0;
        for (int i = 0; i < n; i++) {
            int r = accepted[i];
            byte[] src = batch.source(starts[r]);
            boolean inBatch = starts[r] >= 0;
            int p = DecodedBatch.offset(starts[r]);
            int end = p + lengths[r];
            while (p < end) {
                while (p < end && !isWordByte(src[p])) {
                    p++;
                }
                int from = p;
                while (p < end && isWordByte(src[p])) {
                    p++;
                }
                if (p > from) {
                    emit(row++, src, from, p, inBatch);
                }
            }
        }
        return words;
    }

    private void emit(int row, byte[] src, int from, int to, boolean inBatch) {
        boolean upper = false;
        boolean ascii = true;
        for (int i = from; i < to; i++) {
            byte b = src[i];
            upper |= b >= 'A' && b <= 'Z';
            ascii &= b >= 0;
        }
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
        } else if (inBatch) {
            words.setSlice(0, row, from, to - from);
        } else {
            words.setArenaSlice(0, row, words.arena().append(src, from, to), to - from);
        }
        words.accept(row);
    }

    private static int countWords(byte[] src, int from, int length) {
        int count = 0;
        boolean inWord = false;
        for (int i = from, end = from + length; i < end; i++) {
            boolean w = isWordByte(src[i]);
            if (w && !inWord) {
                count++;
            }
            inWord = w;
        }
        return count;
    }

    /** Letters, digits, {@code _} and every byte of a non-ASCII UTF-8 character. */
    private static boolean isWordByte(byte b) {
        return WORD_BYTES[b & 0xFF];
    }

}
