package io.spate.gpu.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import io.spate.RecordBatch;
import io.spate.frame.ColumnType;
import io.spate.internal.train.AlsTrainer;
import io.spate.internal.train.AtlasCsv;
import io.spate.internal.model.Mlp;
import io.spate.internal.train.Ratings;
import io.spate.internal.train.SyntheticRatings;
import io.spate.plan.Classify;
import io.spate.plan.ClfFormat;
import io.spate.plan.DelimitedFormat;
import io.spate.plan.Field;
import io.spate.plan.InputFormat;
import io.spate.plan.JsonFormat;
import io.spate.plan.Plan;
import io.spate.plan.Query;
import io.spate.plan.Recommend;

/**
 * What {@code spate gpu bench --workload} times, one per seed workload: golden signals over the
 * NASA log's requests as CLF lines or as the same requests in TSV, CSV or JSON records; the word
 * count over JSON {@code {"text": ...}} messages (the requests' text); MLP classification of
 * 30-feature events (the seed 30-500-1000-500-2 network, random weights); MF top-10
 * recommendations for {@code {"uid": n}} events (ALS on synthetic ratings, 1,682 items as
 * MovieLens 100K has). Models are written under a folder the caller gives; nothing needs
 * {@code ../shared}.
 */
enum BenchWorkload {

    /** The log lines as they are. */
    GOLDEN_CLF,
    /** host, method, path, status, bytes, tab-separated, as the RAPIDS notebook reads the log. */
    GOLDEN_TSV,
    /** host,method,"path",status,bytes. */
    GOLDEN_CSV,
    /** {"host":...,"request":{"method":...,"path":...},"status":...,"bytes":...}. */
    GOLDEN_JSON,
    /** {"text": "GET /path HTTP/1.0"}, words counted (lower-cased). */
    WORD_COUNT_JSON,
    /** 30 features per JSON event through the seed MLP. */
    HIGGS,
    /** {"uid": n} through an MF model, top 10 unrated items. */
    RECOMMEND;

    private static final int ITEMS = 1682;
    private static final int USERS = 943;

    /** The command-line name, e.g. {@code golden-clf}. */
    String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The workload named {@code id} ({@link #id}). */
    static BenchWorkload of(String id) {
        for (BenchWorkload w : values()) {
            if (w.id().equals(id)) {
                return w;
            }
        }
        throw new IllegalArgumentException("no workload '" + id + "'; one of " + Arrays.stream(values()).map(BenchWorkload::id).toList());
    }

    /** A batch of {@code records} records made from the log lines {@code nasa} (taken round and round) or generated. */
    RecordBatch batch(List<byte[]> nasa, int records) {
        List<byte[]> out = new ArrayList<>(records);
        Random random = new Random(7);
        for (int i = 0; i < records; i++) {
            String line = new String(nasa.get(i % nasa.size()), StandardCharsets.ISO_8859_1);
            String record = switch (this) {
                case GOLDEN_CLF -> line;
                case HIGGS -> event(i, random);
                case RECOMMEND -> "{\"uid\":" + (1 + random.nextInt(USERS)) + "}";
                default -> convert(line);
            };
            out.add(record.getBytes(StandardCharsets.ISO_8859_1));
        }
        return RecordBatch.of("bench", out);
    }

    /** The plan of this workload; inference workloads write their model under {@code models}. */
    Plan plan(Path models) throws IOException {
        switch (this) {
            case WORD_COUNT_JSON:
                return Plan.of(new JsonFormat(List.of(new Field("text", ColumnType.UTF8))),
                        Query.builder("words").tokenize("text", "word", true).groupBy("word").count("n").build());
            case HIGGS: {
                Path model = models.resolve("mlp.safetensors");
                Mlp.random(Mlp.STANDARD_SIZES, 11).save(model, Map.of());
                List<Field> fields = new ArrayList<>(List.of(new Field("EventId", ColumnType.LONG)));
                AtlasCsv.FEATURES.forEach(f -> fields.add(new Field(f, ColumnType.DOUBLE)));
                return new Plan(new JsonFormat(fields), List.of(), List.of(new Classify("higgs", model.toString(), "EventId", AtlasCsv.FEATURES, 0.5)));
            }
            case RECOMMEND: {
                Path ratings = models.resolve("ratings.tsv");
                Path titles = models.resolve("titles.txt");
                SyntheticRatings.create().withUsers(USERS).withItems(ITEMS).withRatings(100_000).write(ratings, titles);
                Path model = models.resolve("mf.safetensors");
                AlsTrainer.create().train(Ratings.load(ratings), Ratings.loadTitles(titles)).model().save(model);
                return new Plan(new JsonFormat(List.of(new Field("uid", ColumnType.LONG))), List.of(),
                        List.of(new Recommend("recommend", model.toString(), "uid", 10, true)));
            }
            default: {
                String path = this == GOLDEN_JSON ? "request.path" : "path";
                return Plan.of(format(),
                        Query.builder("per-host").groupBy("host").count("requests").sum("bytes", "bytes").max("bytes", "largest").build(),
                        Query.builder("errors").where("status >= 500").groupBy(path).count("errors").build(),
                        Query.builder("per-status").groupBy("status").count("requests").mean("bytes", "mean").build());
            }
        }
    }

    private InputFormat format() {
        return switch (this) {
            case GOLDEN_CLF -> new ClfFormat();
            case GOLDEN_TSV -> DelimitedFormat.tsv(fields("method", "path"));
            case GOLDEN_CSV -> DelimitedFormat.csv(fields("method", "path"));
            default -> new JsonFormat(fields("request.method", "request.path"));
        };
    }

    private static List<Field> fields(String method, String path) {
        return List.of(new Field("host", ColumnType.UTF8), new Field(method, ColumnType.UTF8), new Field(path, ColumnType.UTF8),
                new Field("status", ColumnType.LONG), new Field("bytes", ColumnType.LONG));
    }

    /** A JSON event with the 30 ATLAS feature names, values drawn like the sample's (with its -999 for missing ones). */
    private static String event(int id, Random random) {
        StringBuilder json = new StringBuilder("{\"EventId\":").append(100_000 + id);
        for (int j = 0; j < AtlasCsv.FEATURES.size(); j++) {
            double v = j % 7 == 0 && random.nextInt(4) == 0 ? -999.0 : Math.round((random.nextGaussian() * 40 + 60) * 1000) / 1000.0;
            json.append(",\"").append(AtlasCsv.FEATURES.get(j)).append("\":").append(v);
        }
        return json.append('}').toString();
    }

    /** The record of one CLF line in this format; a line that does not split is kept as is (and rejected alike by both backends). */
    private String convert(String line) {
        int space = line.indexOf(' ');
        int q1 = line.indexOf('"');
        int q2 = line.lastIndexOf('"');
        if (space < 0 || q1 < 0 || q2 <= q1) {
            return line;
        }
        String request = line.substring(q1 + 1, q2);
        String[] parts = request.split(" ", -1);
        String[] tail = line.substring(q2 + 1).trim().split(" ");
        String host = line.substring(0, space);
        String method = parts[0];
        String path = parts.length > 1 ? parts[1] : "";
        String status = tail[0];
        String bytes = tail.length > 1 && !tail[1].equals("-") ? tail[1] : "0";
        return switch (this) {
            case GOLDEN_TSV -> host + "\t" + method + "\t" + path.replace("\t", " ") + "\t" + status + "\t" + bytes;
            case GOLDEN_CSV -> host + "," + method + ",\"" + path.replace("\"", "\"\"") + "\"," + status + "," + bytes;
            case WORD_COUNT_JSON -> "{\"text\":\"" + escape(request) + "\"}";
            default -> "{\"host\":\"" + escape(host) + "\",\"request\":{\"method\":\"" + escape(method) + "\",\"path\":\"" + escape(path)
                    + "\"},\"status\":" + status + ",\"bytes\":" + bytes + "}";
        };
    }

    private static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
