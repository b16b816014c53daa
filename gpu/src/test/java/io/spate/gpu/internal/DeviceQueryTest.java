package io.spate.gpu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.spate.frame.ColumnType;
import io.spate.plan.ClfFormat;
import io.spate.plan.DelimitedFormat;
import io.spate.plan.Field;
import io.spate.plan.JsonFormat;
import io.spate.plan.Plan;
import io.spate.plan.Query;
import io.spate.testkit.SamplePlans;

/** Which plans the device takes (event-time windows included), and the reason given for each one it leaves to the CPU. */
class DeviceQueryTest {

    @Test
    void shouldTakeEveryFormatGroupByAndWordCount() {
        for (Plan plan : SamplePlans.shapes()) {
            assertEquals(Optional.empty(), DeviceQuery.whyNot(plan), plan.toString());
        }
    }

    @Test
    void shouldSayWhyAJsonPlanReadingTooManyFieldsRunsOnTheCpu() {
        List<Field> fields = new ArrayList<>();
        List<Query> queries = new ArrayList<>();
        for (int i = 0; i < 65; i++) {
            fields.add(new Field("f" + i, ColumnType.LONG));
            queries.add(Query.builder("q" + i).groupBy("f" + i).count("n").build());
        }
        assertEquals(Optional.of("the device extracts at most 64 JSON fields, the plan reads 65"),
                DeviceQuery.whyNot(Plan.of(new JsonFormat(fields), queries)));
    }

    @Test
    void shouldSayWhyAJsonPathTooDeepRunsOnTheCpu() {
        String deep = "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p";
        Plan plan = Plan.of(new JsonFormat(List.of(new Field(deep, ColumnType.UTF8))), Query.builder("q").groupBy(deep).count("n").build());
        assertEquals(Optional.of("JSON path '" + deep + "' is deeper than the 15 levels the device walks"), DeviceQuery.whyNot(plan));
    }

    @Test
    void shouldSayWhyAFilteredWordCountRunsOnTheCpu() {
        Plan plan = Plan.of(new JsonFormat(List.of(new Field("text", ColumnType.UTF8))),
                Query.builder("words").tokenize("text", "word", true).where("word != the").groupBy("word").count("n").build());
        assertEquals(Optional.of("query 'words': a device word count has no filter and groups by the word alone"), DeviceQuery.whyNot(plan));
    }

    @Test
    void shouldNumberDecodedColumnsPerKind() {
        List<Field> columns = List.of(new Field("host", ColumnType.UTF8), new Field("status", ColumnType.LONG), new Field("bytes", ColumnType.LONG),
                new Field("latency", ColumnType.DOUBLE), new Field("note", ColumnType.UTF8));
        DeviceDecode csv = DeviceDecode.of(Plan.of(DelimitedFormat.csv(columns),
                Query.builder("q").where("latency > 0.5").groupBy("host", "note").count("n").sum("bytes", "bytes").max("status", "worst").build()));
        assertEquals(List.of(0, 0, 1, 2, 1), List.of(csv.column("host"), csv.column("status"), csv.column("bytes"), csv.column("latency"),
                csv.column("note")));
        assertEquals(List.of(2, 3), List.of(csv.strings(), csv.numbers()));
        DeviceDecode clf = DeviceDecode.of(Plan.of(new ClfFormat(), Query.builder("q").groupBy("path").count("n").build()));
        assertEquals(List.of(7, 3), List.of(clf.strings(), clf.numbers()));
    }
}
