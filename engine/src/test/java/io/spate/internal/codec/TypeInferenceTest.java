package io.spate.internal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.spate.frame.ColumnType;
import io.spate.plan.DelimitedFormat;
import io.spate.plan.Field;

/** Column types inferred from sample records, as cuDF infers dtypes. */
class TypeInferenceTest {

    private static List<byte[]> lines(String... lines) {
        return Arrays.stream(lines).map(l -> l.getBytes(StandardCharsets.UTF_8)).toList();
    }

    @Test
    void shouldTypeLongsDoublesAndStringsFromEveryValueOfTheSample() {
        DelimitedFormat tsv = DelimitedFormat.tsv(DelimitedFormat.columnsFromHeader(
                "host\ttime\tratio\tbytes\tcode\tempty\tdeclared:string", (byte) '\t'));
        Set<String> untyped = Set.of("host", "time", "ratio", "bytes", "code", "empty");
        List<Field> typed = TypeInference.infer(tsv, untyped, lines(
                "host\ttime\tratio\tbytes\tcode\tempty\tdeclared",   // the header line: skipped
                "a.com\t804571201\t0.5\t6245\t200\t\t1",
                "b.com\t-804571202\t2\t-\t404\t\t2",
                "too\tfew fields",                                    // does not split into the columns: not counted
                "c.com\t804571203\t1e3\t0\tx404\t\t3"));
        assertEquals(List.of(new Field("host", ColumnType.UTF8), new Field("time", ColumnType.LONG),
                new Field("ratio", ColumnType.DOUBLE), new Field("bytes", ColumnType.UTF8), new Field("code", ColumnType.UTF8),
                new Field("empty", ColumnType.UTF8), new Field("declared", ColumnType.UTF8)), typed);
    }

    @Test
    void shouldKeepDeclaredTypesAndStringsWhenNoRecordSplits() {
        DelimitedFormat csv = DelimitedFormat.csv(List.of(new Field("a", ColumnType.UTF8), new Field("b", ColumnType.DOUBLE)));
        assertEquals(csv.columns(), TypeInference.infer(csv, Set.of("a"), lines("1,2,3")));
        assertEquals(List.of(new Field("a", ColumnType.LONG), new Field("b", ColumnType.DOUBLE)),
                TypeInference.infer(csv, Set.of("a"), lines("1,2", "\"3\",4")));
    }
}
