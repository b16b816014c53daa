package io.spate.internal.codec;

import java.util.List;

import io.spate.RecordBatch;
import io.spate.plan.Field;
import io.spate.plan.JsonFormat;

/**
 * Decodes one JSON value per record, descending only into the objects on a wanted path and
 * skipping every other subtree.
 *
 * <p>A {@code LONG} field takes a JSON integer that fits a long; a {@code DOUBLE} field any JSON
 * number; a {@code UTF8} field a string, or a number or boolean as its JSON text. A record is
 * malformed when it is not valid JSON, has content after its value, is not an object (unless the
 * format reads the whole record with {@code .}), or lacks a field, has it {@code null} or of the
 * wrong type. When a key appears twice, the last one wins.
 *
 * <p>What Jackson's streaming parser decides is the definition ({@link JsonJacksonReader}). Each
 * record first goes through {@link JsonFastReader}, a strict scanner over its bytes that allocates
 * nothing and accepts only what Jackson would accept with the same values; a record it is not sure
 * of, including every malformed one, is decoded again by Jackson, which decides and gives the
 * reason.
 */
public final class JsonDecoder implements BatchDecoder {

    private final JsonFastReader fast;
    private final JsonJacksonReader jackson;

    /** A decoder of {@code format} filling columns for {@code fields}, a subset of its fields, in that order. */
    public JsonDecoder(JsonFormat format, List<Field> fields) {
        JsonPathTree.Node root = JsonPathTree.build(fields);
        boolean rootMustBeObject = format.field(".").isEmpty();
        fast = new JsonFastReader(root, rootMustBeObject, fields);
        jackson = new JsonJacksonReader(root, rootMustBeObject, fields);
    }

    @Override
    public void decode(RecordBatch batch, DecodedBatch out) {
        byte[] d = batch.data();
        int[] bounds = batch.bounds();
        int n = batch.count();
        for (int r = 0; r < n; r++) {
            int start = bounds[r];
            int end = bounds[r + 1];
            if (fast.read(d, start, end, out, r)) {
                out.accept(r);
                continue;
            }
            String reason = jackson.read(d, start, end, out, r);
            if (reason == null) {
                out.accept(r);
            } else {
                out.reject(r, reason);
            }
        }
    }
}
