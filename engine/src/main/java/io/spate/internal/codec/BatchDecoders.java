package io.spate.internal.codec;

import java.util.List;

import io.spate.plan.ClfFormat;
import io.spate.plan.DelimitedFormat;
import io.spate.plan.Field;
import io.spate.plan.InputFormat;
import io.spate.plan.JsonFormat;
import io.spate.plan.Plan;

/** Picks the decoder for an input format. */
public final class BatchDecoders {

    private BatchDecoders() {
    }

    /**
     * The decoder of {@code plan}: its format's decoder for {@link Plan#decodedFields()}, then the
     * record metadata columns, filling a {@link DecodedBatch} of {@link Plan#referencedFields()}.
     */
    public static BatchDecoder forPlan(Plan plan) {
        List<Field> decoded = plan.decodedFields();
        BatchDecoder format = forFormat(plan.format(), decoded);
        if (!plan.readsMetadata()) {
            return format;
        }
        List<Field> all = plan.referencedFields();
        MetadataDecoder metadata = new MetadataDecoder(all.subList(decoded.size(), all.size()), decoded.size());
        return (batch, out) -> {
            format.decode(batch, out);
            metadata.decode(batch, out);
        };
    }

    /**
     * A decoder of {@code format} that fills columns for {@code fields} (a subset of the format's
     * schema, in the order of the {@link DecodedBatch} it will write to).
     */
    public static BatchDecoder forFormat(InputFormat format, List<Field> fields) {
        if (format instanceof ClfFormat) {
            return new ClfDecoder(fields);
        }
        if (format instanceof DelimitedFormat) {
            return new DelimitedDecoder((DelimitedFormat) format, fields);
        }
        if (format instanceof JsonFormat) {
            return new JsonDecoder((JsonFormat) format, fields);
        }
        throw new IllegalArgumentException("no decoder for format " + format.name());
    }
}
