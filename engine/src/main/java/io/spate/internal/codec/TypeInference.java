package io.spate.internal.codec;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.spate.RecordBatch;
import io.spate.frame.ColumnType;
import io.spate.plan.DelimitedFormat;
import io.spate.plan.Field;

/**
 * Types the columns of a delimited format from sample records, as cuDF's readers infer a dtype per
 * column: a column whose every value in the sample is an integer is a long, else one whose every
 * value is a number is a double, else a string. An empty value makes a column a string (Spate has
 * no nulls), and so does a column no sampled record fills. Records that do not split into the
 * format's columns, and header lines, do not count.
 */
public final class TypeInference {

    private TypeInference() {
    }

    /**
     * {@code format}'s columns with the columns named in {@code inferred} typed from {@code sample}
     * (record values); the other columns keep their declared types.
     */
    public static List<Field> infer(DelimitedFormat format, Set<String> inferred, List<byte[]> sample) {
        List<Field> asText = format.columns().stream().map(f -> new Field(f.name(), ColumnType.UTF8)).toList();
        DelimitedFormat text = new DelimitedFormat(format.delimiter(), asText, format.quoted(), format.skipHeader(),
                format.trimCarriageReturn());
        RecordBatch batch = RecordBatch.of("sample", sample);
        DecodedBatch decoded = new DecodedBatch(asText);
        decoded.reset(batch);
        new DelimitedDecoder(text, asText).decode(batch, decoded);
        List<Field> typed = new ArrayList<>(format.columns().size());
        for (int c = 0; c < asText.size(); c++) {
            Field declared = format.columns().get(c);
            typed.add(inferred.contains(declared.name()) && decoded.acceptedCount() > 0
                    ? new Field(declared.name(), typeOf(decoded, c)) : declared);
        }
        return typed;
    }

    private static ColumnType typeOf(DecodedBatch decoded, int col) {
        boolean longs = true;
        for (int i = 0; i < decoded.acceptedCount(); i++) {
            int row = decoded.accepted()[i];
            int start = decoded.starts(col)[row];
            byte[] src = decoded.source(start);
            int from = DecodedBatch.offset(start);
            int to = from + decoded.lengths(col)[row];
            if (from == to) {
                return ColumnType.UTF8;
            }
            if (longs && ByteNumbers.isLong(src, from, to)) {
                continue;
            }
            longs = false;
            if (Double.isNaN(ByteNumbers.parseDouble(src, from, to))) {
                return ColumnType.UTF8;
            }
        }
        return longs ? ColumnType.LONG : ColumnType.DOUBLE;
    }
}
