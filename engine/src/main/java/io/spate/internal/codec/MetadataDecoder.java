package io.spate.internal.codec;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.spate.RecordBatch;
import io.spate.plan.Field;
import io.spate.plan.RecordMetadata;

/**
 * Fills the {@linkplain RecordMetadata record metadata} columns of a batch from its arrays: longs
 * straight from the batch's timestamps, partitions and offsets; keys, topics and header values
 * copied into the arena as string slices (the empty string when a record has none). Rejects
 * nothing; the format's decoder decides which records are accepted.
 */
final class MetadataDecoder {

    private static final int KEY = 0;
    private static final int TIMESTAMP = 1;
    private static final int PARTITION = 2;
    private static final int OFFSET = 3;
    private static final int TOPIC = 4;
    private static final int HEADER = 5;

    private final int[] columns;
    private final int[] kinds;
    private final String[] headers;

    /** Fills, for each of {@code fields} (metadata columns), column {@code first + i} of the decoded batch. */
    MetadataDecoder(List<Field> fields, int first) {
        int n = fields.size();
        columns = new int[n];
        kinds = new int[n];
        headers = new String[n];
        for (int i = 0; i < n; i++) {
            String name = fields.get(i).name();
            columns[i] = first + i;
            kinds[i] = kind(name);
            headers[i] = kinds[i] == HEADER ? name.substring(RecordMetadata.HEADER_PREFIX.length()) : null;
        }
    }

    private static int kind(String name) {
        switch (name) {
            case RecordMetadata.KEY: return KEY;
            case RecordMetadata.TIMESTAMP: return TIMESTAMP;
            case RecordMetadata.PARTITION: return PARTITION;
            case RecordMetadata.OFFSET: return OFFSET;
            case RecordMetadata.TOPIC: return TOPIC;
            default:
                if (name.startsWith(RecordMetadata.HEADER_PREFIX)) {
                    return HEADER;
                }
                throw new IllegalArgumentException(name + " is not a record metadata column");
        }
    }

    /** Fills the metadata columns of every record of {@code batch} into {@code out}. */
    void decode(RecordBatch batch, DecodedBatch out) {
        int rows = batch.count();
        byte[] meta = batch.metadataBytes();
        ByteArena arena = out.arena();
        for (int m = 0; m < columns.length; m++) {
            int col = columns[m];
            switch (kinds[m]) {
                case TIMESTAMP -> {
                    long[] values = out.longs(col);
                    for (int r = 0; r < rows; r++) {
                        values[r] = batch.timestamp(r);
                    }
                }
                case PARTITION -> {
                    long[] values = out.longs(col);
                    for (int r = 0; r < rows; r++) {
                        values[r] = batch.partition(r);
                    }
                }
                case OFFSET -> {
                    long[] values = out.longs(col);
                    for (int r = 0; r < rows; r++) {
                        values[r] = batch.offset(r);
                    }
                }
                case KEY -> {
                    for (int r = 0; r < rows; r++) {
                        int length = Math.max(0, batch.keyLength(r));
                        int start = batch.keyStart(r);
                        out.setArenaSlice(col, r, arena.append(meta, start, start + length), length);
                    }
                }
                case TOPIC -> topics(batch, out, col);
                default -> {
                    int name = batch.headerNameIndex(headers[m]);
                    for (int r = 0; r < rows; r++) {
                        int entry = batch.header(r, name);
                        int length = entry < 0 ? 0 : Math.max(0, batch.headerLength(entry));
                        int start = entry < 0 ? 0 : batch.headerStart(entry);
                        out.setArenaSlice(col, r, arena.append(meta, start, start + length), length);
                    }
                }
            }
        }
    }

    /** Topic names go into the arena once per run of records from the same topic. */
    private static void topics(RecordBatch batch, DecodedBatch out, int col) {
        String last = null;
        int start = 0;
        int length = 0;
        for (int r = 0; r < batch.count(); r++) {
            String topic = batch.topic(r);
            if (!topic.equals(last)) {
                byte[] name = topic.getBytes(StandardCharsets.UTF_8);
                start = out.arena().append(name, 0, name.length);
                length = name.length;
                last = topic;
            }
            out.setArenaSlice(col, r, start, length);
        }
    }
}
