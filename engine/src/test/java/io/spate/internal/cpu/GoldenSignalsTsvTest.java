package io.spate.internal.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;

import io.spate.BatchResult;
import io.spate.RecordBatch;
import io.spate.RecordBatchBuilder;
import io.spate.SourceOffsets;
import io.spate.internal.SharedData;
import io.spate.internal.config.NodeConfig;
import io.spate.internal.config.PipelineConfig;
import io.spate.plan.Plan;
import io.spate.plan.Query;

/**
 * The shipped cuStreamz-style pipeline over TSV with epoch-second times gives the same hourly golden
 * signals as the shipped CLF pipeline over the same NASA log lines.
 */
class GoldenSignalsTsvTest {

    private static final Pattern CLF = Pattern.compile("^(\\S+) (\\S+) (\\S+) \\[([^\\]]+)\\] \"(.*)\" (\\d+) (\\S+)$");
    private static final DateTimeFormatter CLF_TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT);
    /** The testkit's bundled 50,000 NASA lines, read when there is no shared data (the engine cannot depend on the testkit). */
    private static final Path BUNDLED = Path.of("../testkit/src/main/resources/io/spate/testkit/nasa-sample.log.gz");
    private static final int BATCH = 5_000;

    /** A CLF line as the notebook's TSV has it: host, logname, time (epoch seconds), method, url, response, bytes. */
    private static byte[] tsv(byte[] clf) {
        Matcher m = CLF.matcher(new String(clf, StandardCharsets.ISO_8859_1));
        assertTrue(m.matches(), "a CLF line");
        String[] request = m.group(5).split(" ", -1);
        long seconds = OffsetDateTime.parse(m.group(4), CLF_TIME).toEpochSecond();
        String bytes = m.group(7).equals("-") ? "0" : m.group(7);
        return String.join("\t", m.group(1), m.group(2), Long.toString(seconds), request[0], request.length > 1 ? request[1] : "",
                m.group(6), bytes).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The NASA log lines: the shared file when there is one, else the testkit's bundled sample. */
    private static List<byte[]> nasa() throws IOException {
        if (SharedData.find(SharedData.NASA).isPresent()) {
            return NasaLog.lines();
        }
        try (InputStream in = new GZIPInputStream(Files.newInputStream(BUNDLED))) {
            return SharedData.splitLines(in.readAllBytes());
        }
    }

    private static Plan shipped(String file) {
        return PipelineConfig.pipelines(NodeConfig.load(new File("../config/" + file), null, List.of())).get(0).plan();
    }

    @Test
    void shouldGiveTheHourlyGoldenSignalsOfTheClfPipelineFromTsvWithEpochSeconds() throws IOException {
        // The bundled sample has no 5xx at all and the whole log few: every 500th line becomes a 503, in both forms.
        List<byte[]> clf = new ArrayList<>(nasa());
        for (int i = 499; i < clf.size(); i += 500) {
            clf.set(i, new String(clf.get(i), StandardCharsets.ISO_8859_1).replaceFirst("\" \\d{3} ", "\" 503 ").getBytes(StandardCharsets.ISO_8859_1));
        }
        List<byte[]> tsv = clf.stream().map(GoldenSignalsTsvTest::tsv).toList();
        Plan clfPlan = shipped("golden-signals-hourly.conf");
        Plan tsvPlan = shipped("golden-signals-tsv.conf");
        assertEquals(clfPlan.queries().stream().map(Query::outputNames).toList(), tsvPlan.queries().stream().map(Query::outputNames).toList());

        Totals fromClf = new Totals(clfPlan);
        Totals fromTsv = new Totals(tsvPlan);
        for (int from = 0; from < clf.size(); from += BATCH) {
            int to = Math.min(clf.size(), from + BATCH);
            fromClf.feed(clf.subList(from, to));
            fromTsv.feed(tsv.subList(from, to));
        }
        for (int q = 0; q < clfPlan.queries().size(); q++) {
            assertFalse(fromClf.last.get(q).isEmpty(), "output " + q + " has rows");
            assertEquals(fromClf.last.get(q), fromTsv.last.get(q), "output " + clfPlan.queries().get(q).name());
        }
        assertEquals(fromClf.late, fromTsv.late, "the same records late");
        assertEquals(0, fromTsv.rejected, "every TSV line decodes");
        assertEquals(fromClf.rejected, fromTsv.rejected);
    }

    /** The last value per (window, keys) of each output of a plan, fed batch by batch. */
    private static final class Totals {
        final Plan plan;
        final CpuBackend backend = new CpuBackend();
        final List<Map<List<Object>, List<Object>>> last = new ArrayList<>();
        int late;
        int rejected;
        long offset;

        Totals(Plan plan) {
            this.plan = plan;
            plan.queries().forEach(q -> last.add(new HashMap<>()));
        }

        void feed(List<byte[]> lines) {
            RecordBatchBuilder b = RecordBatch.builder(1 << 20, lines.size());
            for (byte[] v : lines) {
                b.append(v, 0, v.length, "weblogs", 0, offset++);
            }
            BatchResult r = backend.execute(plan, b.build(SourceOffsets.NONE, 0));
            for (int q = 0; q < last.size(); q++) {
                last.get(q).putAll(FrameRows.byKey(r.frames().get(q)));
            }
            late += r.late().length;
            rejected += r.rejectedCount();
        }
    }
}
