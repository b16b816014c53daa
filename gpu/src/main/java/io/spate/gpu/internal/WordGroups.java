package io.spate.gpu.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.spate.frame.Column;
import io.spate.frame.Frame;
import io.spate.frame.LongColumn;
import io.spate.frame.Utf8Column;
import io.spate.plan.AggFn;
import io.spate.plan.Aggregate;

/**
 * The host side of a device word count: the frame of one batch's words from the packed rows of
 * {@code words_compact} (first start, count, length per word).
 *
 * <p>The device groups words by their bytes with ASCII letters folded when lower-casing; the CPU
 * tokenizer lower-cases non-ASCII words by Unicode rules ({@code String.toLowerCase(Locale.ROOT)}),
 * which may make one word of several device groups ({@code CAFÉ} and {@code café}). Lower-casing
 * commutes with folding the ASCII letters first (case mappings, final sigma included, see letters
 * as cased whatever their ASCII case), so each device group lies inside one CPU group: the host
 * lower-cases each distinct word the CPU's way and merges the groups that meet. That is per
 * distinct word, not per word, and only in batches with non-ASCII words.
 */
final class WordGroups {

    private WordGroups() {
    }

    /** The groups of {@code groups} packed rows of word count {@code q}, words read from {@code data}. */
    static DeviceRun.Groups of(DeviceQuery q, DeviceRun.HostBytes data, long[] rows, int groups) {
        boolean lowercase = q.query.tokenize().orElseThrow().lowercase();
        List<byte[]> words = new ArrayList<>(groups);
        long[] counts = new long[groups];
        long[] firsts = new long[groups];
        Map<String, Integer> merged = new HashMap<>();
        int distinct = 0;
        for (int g = 0; g < groups; g++) {
            int from = (int) rows[g * 3];
            data.check(rows[g * 3], rows[g * 3 + 2]);
            byte[] raw = new byte[(int) rows[g * 3 + 2]];
            data.get(from, raw, 0, raw.length);
            byte[] word = lowercase ? lower(raw) : raw;
            Integer at = merged.putIfAbsent(new String(word, StandardCharsets.ISO_8859_1), distinct);
            if (at == null) {
                words.add(word);
                counts[distinct] = rows[g * 3 + 1];
                firsts[distinct] = from;
                distinct++;
            } else {
                counts[at] += rows[g * 3 + 1];
                firsts[at] = Math.min(firsts[at], from);
            }
        }
        Integer[] order = new Integer[distinct];
        for (int i = 0; i < distinct; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingLong(i -> firsts[i]));
        List<byte[]> ordered = new ArrayList<>(distinct);
        long[] orderedCounts = new long[distinct];
        for (int i = 0; i < distinct; i++) {
            ordered.add(words.get(order[i]));
            orderedCounts[i] = counts[order[i]];
        }
        List<Column> columns = new ArrayList<>();
        columns.add(Utf8Column.ofBytes(q.query.keys().get(0).alias(), ordered));
        for (Aggregate a : q.query.aggregates()) {
            if (a.fn() != AggFn.COUNT) {
                throw new IllegalStateException("a word count aggregates counts only, not " + a);
            }
            columns.add(new LongColumn(a.alias(), orderedCounts.clone(), distinct));
        }
        return new DeviceRun.Groups(new Frame(columns, 1, distinct), orderedCounts);
    }

    /** The word as the CPU tokenizer lower-cases it: ASCII letters in place, non-ASCII words by Unicode rules. */
    static byte[] lower(byte[] raw) {
        boolean ascii = true;
        for (byte b : raw) {
            ascii &= b >= 0;
        }
        if (!ascii) {
            return new String(raw, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
        }
        byte[] out = raw.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] = out[i] >= 'A' && out[i] <= 'Z' ? (byte) (out[i] + 32) : out[i];
        }
        return out;
    }
}
