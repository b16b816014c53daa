package io.spate.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;

import io.spate.frame.ColumnType;
import io.spate.internal.config.PipelineConfig;
import io.spate.plan.DelimitedFormat;
import io.spate.plan.Field;
import io.spate.plan.JsonFormat;
import io.spate.plan.Plan;
import io.spate.plan.Query;

/**
 * Plans and records for the delimited, JSON and word-count cases of {@link BackendContract}: well
 * formed records of every shape the decoders take, and malformed records of every kind.
 */
final class FormatSamples {

    static final List<Field> CSV_COLUMNS = List.of(new Field("host", ColumnType.UTF8), new Field("status", ColumnType.LONG),
            new Field("bytes", ColumnType.LONG), new Field("latency", ColumnType.DOUBLE), new Field("note", ColumnType.UTF8));

    /** Queries over host, status, bytes, latency (a double) and note (often quoted). */
    static List<Query> csvQueries() {
        return List.of(
                Query.builder("per-host").groupBy("host").count("n").sum("bytes", "bytes").sum("latency", "total")
                        .min("latency", "fastest").max("latency", "slowest").mean("latency", "mean").build(),
                Query.builder("errors").where("status >= 500").groupBy("host", "status").count("n").build(),
                Query.builder("slow").where("latency > 0.5").groupBy("note").count("n").max("bytes", "largest").build(),
                Query.builder("by-latency").where("latency <= 0").groupBy("latency").count("n").build(),
                Query.builder("notes").groupBy("note").count("n").min("bytes", "smallest").mean("bytes", "mean").build());
    }

    static Plan csv(List<Field> columns) {
        return Plan.of(DelimitedFormat.csv(columns), csvQueries());
    }

    /**
     * Good CSV records: a header, quotes, doubled quotes, CRLF, signs, exponents, negative zero, and
     * the long extremes, each in a group of its own: beside other values a sum of them may leave the
     * long range in some order of the adds, and a device that adds in no order leaves such a batch
     * to the CPU.
     */
    static final String[] CSV_GOOD = {
        "host,status,bytes,latency,note",
        "a.com,200,100,0.25,plain",
        "b.com,500,2000,1.5,\"quoted, with comma\"",
        "a.com,503,-7,1e1,\"say \"\"hi\"\"\"",
        "c.com,200,+5,-0.0,\"\"",
        "e.com,200,9223372036854775807,0.0,\"\"\"\"\r",
        "\"a.com\",404,0,.5,quote\"inside",
        "b.com,500,1,2.,\"say \"\"hi\"\"\"",
        "d.com,200,3,-1.25E-2,",
        "f.com,200,-9223372036854775808,1234567890123456,x",
        "host,status,bytes,latency,note",
    };

    /** Malformed CSV records, one of each kind the CPU decoder rejects. */
    static final String[] CSV_BAD = {
        "",
        "\r",
        "a.com,200,1,0.5",
        "a.com,200,1,0.5,x,extra",
        "a.com,200,1,0.5,\"open",
        "a.com,200,1,0.5,\"closed\"x",
        "a.com,2x0,1,0.5,x",
        "a.com,9223372036854775808,1,0.5,x",
        "a.com,200,,0.5,x",
        "a.com,200,1,abc,x",
        "a.com,200,1,1e,x",
        "a.com,200,1,NaN,x",
        "a.com,\"2\"\"0\",1,0.5,x",
        "a.com,200,1, 0.5,x",
        "a.com,-,1,0.5,x",
    };

    /** A double only Double.parseDouble rounds right (more than 18 significant digits). */
    static final String CSV_SLOW_DOUBLE = "a.com,200,1,0.12345678901234567891,x";

    static Plan tsv() {
        List<Field> columns = DelimitedFormat.columnsFromHeader("host\tstatus:long\tbytes:long\tnote", (byte) '\t');
        return Plan.of(DelimitedFormat.tsv(columns),
                Query.builder("per-host").groupBy("host").count("n").sum("bytes", "bytes").build(),
                Query.builder("notes").where("status != 200").groupBy("note", "status").count("n").build());
    }

    static final String[] TSV = {
        "host\tstatus\tbytes\tnote",
        "a.com\t200\t10\t\"not quoted\"",
        "a.com\t404\t1\t\"half",
        "b.com\t404\t2\t,commas,",
        "b.com\t404\t2",
        "b.com\tx\t2\tn",
    };

    /** The NASA lines as TSV: host, timestamp text, method, path, status, bytes (a line that does not split stays as is). */
    static List<byte[]> nasaTsv(int limit) throws IOException {
        List<byte[]> out = new ArrayList<>();
        for (byte[] line : SampleData.nasaLog().subList(0, limit)) {
            String s = new String(line, StandardCharsets.ISO_8859_1);
            int open = s.indexOf('[');
            int close = s.indexOf(']');
            int q1 = s.indexOf('"');
            int q2 = s.lastIndexOf('"');
            if (open < 0 || close < open || q1 < 0 || q2 <= q1) {
                out.add(line);
                continue;
            }
            String[] request = s.substring(q1 + 1, q2).split(" ");
            String[] tail = s.substring(q2 + 1).trim().split(" ");
            String bytes = tail.length > 1 && tail[1].equals("-") ? "0" : tail.length > 1 ? tail[1] : "";
            String row = s.substring(0, s.indexOf(' ')) + "\t" + s.substring(open + 1, close) + "\t" + request[0] + "\t"
                    + (request.length > 1 ? request[1] : "") + "\t" + tail[0] + "\t" + bytes;
            out.add(row.getBytes(StandardCharsets.ISO_8859_1));
        }
        return out;
    }

    /** Golden signals over the NASA TSV lines. */
    static Plan nasaTsvPlan() {
        List<Field> columns = DelimitedFormat.columnsFromHeader("host\ttime\tmethod\tpath\tstatus:long\tbytes:long", (byte) '\t');
        return Plan.of(DelimitedFormat.tsv(columns),
                Query.builder("per-host").groupBy("host").count("requests").sum("bytes", "bytes").max("bytes", "largest").build(),
                Query.builder("errors").where("status >= 500").groupBy("host", "status").count("errors").build(),
                Query.builder("per-status").groupBy("status").count("requests").mean("bytes", "mean").build(),
                Query.builder("gets").where("method == GET").groupBy("path").count("n").having("n >= 2").build());
    }

    static final JsonFormat COMMITS = new JsonFormat(List.of(new Field("sha", ColumnType.UTF8),
            new Field("commit.author.name", ColumnType.UTF8), new Field("commit.committer.name", ColumnType.UTF8),
            new Field("stats.additions", ColumnType.LONG), new Field("score", ColumnType.DOUBLE), new Field("uid", ColumnType.LONG)));

    static Plan commits() {
        return Plan.of(COMMITS,
                Query.builder("authors").groupBy("commit.author.name").count("n").sum("stats.additions", "added")
                        .max("score", "best").mean("score", "mean").build(),
                Query.builder("pairs").where("uid > 1").groupBy("commit.committer.name", "uid").count("n").min("score", "worst").build(),
                Query.builder("by-score").groupBy("score").count("n").build(),
                Query.builder("shas").groupBy("sha").count("n").build());
    }

    static String commit(String sha, String author, String committer, String additions, String score, String uid) {
        return "{\"sha\":" + sha + ",\"commit\":{\"author\":{\"name\":" + author + ",\"email\":\"x@y\"},\"committer\":{\"name\":" + committer
                + "},\"message\":\"m\"},\"stats\":{\"additions\":" + additions + ",\"deletions\":[1,{\"a\":null}]},\"score\":" + score
                + ",\"uid\":" + uid + "}";
    }

    /** Good JSON records: nesting, escapes, Unicode, numbers of every form, duplicate keys, skipped subtrees. */
    static final String[] JSON_GOOD = {
        commit("\"s1\"", "\"Ann\"", "\"Bob\"", "10", "1.5", "1"),
        commit("\"s2\"", "\"Ann\"", "\"Bob\"", "-3", "2", "2"),
        commit("\"s\\\"3\\\\\"", "\"Ren\\u00e9e\"", "\"Bob\"", "0", "-0.0", "3"),
        commit("\"s4\"", "\"Ren\u00e9e\"", "\"\\ud83d\\ude00 smile\"", "7", "1e2", "-0"),
        commit("\"s5\"", "\"lone \\ud800 high\"", "\"\\udc00 low\"", "9223372036854775807", "-1.25E-3", "4"),
        commit("\"s6\\n\\t\\/\\b\\f\\r\"", "12", "true", "1", "3", "5"),
        commit("\"s7\"", "-1.50e+3", "false", "1", "0", "6"),
        "  {\"uid\":7,\"sha\":\"s8\",\"score\":2.5,\"stats\":{\"additions\":1},\"commit\":{\"committer\":{\"name\":\"Cy\"},"
                + "\"author\":{\"name\":\"Ann\"}},\"extra\":[[[{\"deep\":[1,2,{}]}]],\"\\u0041\",-0.5e-7,true,false,null]}\t\n",
        "{\"uid\":8,\"uid\":9,\"sha\":\"s9\",\"score\":1,\"stats\":{\"additions\":2},\"commit\":{\"author\":{\"name\":\"x\"},"
                + "\"author\":{\"name\":\"Dee\"},\"committer\":{\"name\":\"\u4e2d\u6587\"}}}",
        "{\"commit\":{\"author\":{\"name\":\"Ann\"},\"committer\":{\"name\":\"Bob\"}},\"score\":12345678901234567,\"uid\":10,"
                + "\"stats\":{\"additions\":5},\"sha\":\"\"}",
    };

    /** Malformed JSON records, one of each kind the CPU decoder rejects. */
    static final String[] JSON_BAD = {
        "",
        "   ",
        "[1,2]",
        "42",
        "\"text\"",
        "null",
        commit("\"s\"", "\"a\"", "\"b\"", "1", "1", "1").replace("\"uid\":1", "\"uid\":null"),
        commit("\"s\"", "\"a\"", "\"b\"", "1", "1", "\"1\""),
        commit("\"s\"", "\"a\"", "\"b\"", "1.0", "1", "1"),
        commit("\"s\"", "\"a\"", "\"b\"", "92233720368547758070", "1", "1"),
        commit("\"s\"", "\"a\"", "\"b\"", "1", "\"1.5\"", "1"),
        commit("\"s\"", "null", "\"b\"", "1", "1", "1"),
        commit("\"s\"", "{\"x\":1}", "\"b\"", "1", "1", "1"),
        commit("\"s\"", "[\"a\"]", "\"b\"", "1", "1", "1"),
        commit("\"s\"", "\"a\"", "\"b\"", "1", "1", "1").replace(",\"uid\":1", ""),
        "{\"commit\":5,\"sha\":\"s\",\"score\":1,\"uid\":1,\"stats\":{\"additions\":1}}",
        commit("\"s\"", "\"a\"", "\"b\"", "1", "1", "1") + " {}",
        commit("\"s\"", "\"a\"", "\"b\"", "1", "1", "1") + "x",
        commit("\"s\"", "\"a\"", "\"b\"", "1", "1", "1").substring(0, 40),
        "{\"sha\":\"s\",}",
        "{'sha':\"s\"}",
        "{sha:\"s\"}",
        commit("\"s\"", "\"a\"", "\"b\"", "01", "1", "1"),
        commit("\"s\"", "\"a\"", "\"b\"", "1", "NaN", "1"),
        commit("\"s\"", "\"a\"", "\"b\"", "1", "1.", "1"),
        commit("\"s\"", "\"a\"", "\"b\"", "1", ".5", "1"),
        commit("\"s\"", "\"a\"", "\"b\"", "1", "+1", "1"),
        commit("\"s\"", "\"a\tb\"", "\"b\"", "1", "1", "1"),
        commit("\"s\"", "\"a\\qb\"", "\"b\"", "1", "1", "1"),
        commit("\"s\"", "\"a\\u12\"", "\"b\"", "1", "1", "1"),
        commit("\"s\"", "\"a\"", "\"b\"", "1", "1", "1").replace("\"m\"", "\"m\u0001\""),
        commit("\"s\"", "tru", "\"b\"", "1", "1", "1"),
        commit("\"s\"", "truex", "\"b\"", "1", "1", "1"),
        "{\"sha\":\"s\":1}",
        "{\"sha\" \"s\"}",
        "{\"a\":[1,]}",
        "{\"a\":[1 2]}",
        "{\"a\":{\"b\":1]}",
        "{\"a\":1}}",
        "{}",
        "{\"deep\":" + "[".repeat(600) + "]".repeat(600) + "}",
    };

    /** A record whose bytes are not UTF-8 (Latin-1 é inside a string), which Jackson refuses. */
    static byte[] jsonBadUtf8() {
        byte[] b = commit("\"s\"", "\"Ren\u00e9e\"", "\"b\"", "1", "1", "1").getBytes(StandardCharsets.ISO_8859_1);
        return b;
    }

    /** A JSON plan reading the whole record (a bare number) with '.'. */
    static Plan wholeRecord() {
        return Plan.of(new JsonFormat(List.of(new Field(".", ColumnType.DOUBLE))),
                Query.builder("values").groupBy(".").count("n").build(),
                Query.builder("total").count("n").sum(".", "sum").min(".", "min").max(".", "max").build());
    }

    static final String[] WHOLE_RECORDS = {"1", " 2.5 ", "-0", "1e3", "\"x\"", "{}", "1 2", "3"};

    /** Word count over the JSON field text. */
    static Plan jsonWords(boolean lowercase) {
        return Plan.of(new JsonFormat(List.of(new Field("text", ColumnType.UTF8))),
                Query.builder("words").tokenize("text", "word", lowercase).groupBy("word").count("n").build());
    }

    static final String[] ASCII_TEXTS = {
        "{\"text\":\"The quick brown Fox, the QUICK fox!\"}",
        "{\"text\":\"snake_case and CamelCase 42 times; don't stop-words\"}",
        "{\"text\":\"escaped \\\"Quotes\\\" and\\nnew\\tlines \\u0041BC\"}",
        "{\"text\":\"\"}",
        "{\"text\":5}",
        "{\"text\":null}",
        "{\"nottext\":\"x\"}",
    };

    static final String[] UNICODE_TEXTS = {
        "{\"text\":\"Caf\u00e9 CAF\u00c9 caf\u00e9 \u00c9COLE \u00e9cole\"}",
        "{\"text\":\"Stra\u00dfe STRASSE \u03a3\u039f\u03a6\u039f\u03a3 \u03c3\u03bf\u03c6\u03bf\u03c2 \u0130stanbul\"}",
        "{\"text\":\"\\u00c9t\\u00c9 \u00e9t\u00e9 \u4e2d\u6587 \\ud83d\\ude00x \u00ff\u0178\"}",
        "{\"text\":\"plain ascii words Plain\"}",
    };

    /**
     * The plans of the shipped config {@code config/NAME}, which the build bundles in this jar (see
     * the testkit pom), so that the suite runs them wherever it runs.
     */
    static List<Plan> shippedPlans(String name) {
        Config file = ConfigFactory.parseResources(FormatSamples.class, "config/" + name, ConfigParseOptions.defaults().setAllowMissing(false));
        return PipelineConfig.pipelines(file.withFallback(ConfigFactory.load()).resolve()).stream().map(p -> p.plan()).toList();
    }

    /**
     * {@code count} records made from {@code seeds} by one to three random byte edits each (delete,
     * insert or replace with a byte JSON and CSV parsers care about, UTF-8 fragments included); a
     * fixed seed, so every run sees the same records.
     */
    static List<byte[]> mutated(String[] seeds, int count, long seed) {
        byte[] alphabet = ("{}[]\",:\\ 0123456789eE.-+tfnul'u\t\r\n\u0001".getBytes(StandardCharsets.UTF_8));
        byte[] utf8 = {(byte) 0xC3, (byte) 0xA9, (byte) 0xFF, (byte) 0xED, (byte) 0xA0, (byte) 0x80, (byte) 0xF0, (byte) 0x9F, (byte) 0xC0};
        Random random = new Random(seed);
        List<byte[]> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            List<Byte> b = new ArrayList<>();
            for (byte x : seeds[random.nextInt(seeds.length)].getBytes(StandardCharsets.UTF_8)) {
                b.add(x);
            }
            for (int e = 1 + random.nextInt(3); e > 0; e--) {
                byte x = random.nextInt(4) == 0 ? utf8[random.nextInt(utf8.length)] : alphabet[random.nextInt(alphabet.length)];
                int at = random.nextInt(b.size() + 1);
                switch (random.nextInt(3)) {
                    case 0 -> {
                        if (at < b.size()) {
                            b.remove(at);
                        }
                    }
                    case 1 -> b.add(at, x);
                    default -> {
                        if (at < b.size()) {
                            b.set(at, x);
                        }
                    }
                }
            }
            byte[] record = new byte[b.size()];
            for (int j = 0; j < record.length; j++) {
                record[j] = b.get(j);
            }
            out.add(record);
        }
        return out;
    }

    /** The GitHub commits under {@code shared/data} as one compact record each, or made-up commits where the file is absent. */
    static List<byte[]> githubCommits() throws IOException {
        Optional<Path> file = SampleData.shared("github_commits/github-example-large.json");
        List<byte[]> out = new ArrayList<>();
        if (file.isEmpty()) {
            for (int i = 0; i < 200; i++) {
                out.add(commit("\"s" + i + "\"", "\"author " + i % 7 + "\"", "\"committer " + i % 3 + "\"", Integer.toString(i), "1." + i, "1")
                        .getBytes(StandardCharsets.UTF_8));
            }
            return out;
        }
        byte[] all = Files.readAllBytes(file.get());
        try (JsonParser p = new JsonFactory().createParser(all)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new IOException(file.get() + " is not a JSON array");
            }
            while (p.nextToken() == JsonToken.START_OBJECT) {
                int from = (int) p.currentTokenLocation().getByteOffset();
                p.skipChildren();
                int to = (int) p.currentLocation().getByteOffset();
                out.add(Arrays.copyOfRange(all, from, to));
            }
        }
        return out;
    }

    /** Who commits, whose commits they are, and the words of the messages. */
    static Plan githubPlan() {
        JsonFormat format = new JsonFormat(List.of(new Field("sha", ColumnType.UTF8), new Field("commit.author.name", ColumnType.UTF8),
                new Field("commit.committer.name", ColumnType.UTF8), new Field("commit.message", ColumnType.UTF8),
                new Field("commit.comment_count", ColumnType.LONG)));
        return Plan.of(format,
                Query.builder("pairs").groupBy("commit.committer.name", "commit.author.name").count("n").sum("commit.comment_count", "comments").build(),
                Query.builder("words").tokenize("commit.message", "word", true).groupBy("word").count("n").build());
    }

    /** The HIGGS sample under {@code shared/data} (a header, then 4,999 events), or a few made-up events where it is absent. */
    static List<byte[]> higgsCsv() throws IOException {
        Optional<Path> file = SampleData.shared("atlas_higgs_2014/train_sml_bg.csv.gz");
        List<byte[]> out = new ArrayList<>();
        if (file.isEmpty()) {
            out.add(higgsHeader().getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < 100; i++) {
                StringBuilder row = new StringBuilder(Integer.toString(100_000 + i));
                for (int f = 0; f < 30; f++) {
                    row.append(',').append(f % 5 == 0 ? "-999.0" : (i * 7 + f) % 113 + "." + i % 10);
                }
                row.append(',').append(i % 3 + 0.25).append(',').append(i % 2 == 0 ? "b" : "s").append(",t,").append(1.5 + i);
                out.add(row.toString().getBytes(StandardCharsets.UTF_8));
            }
            return out;
        }
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(file.get())), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                out.add(line.getBytes(StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static String higgsHeader() {
        StringBuilder h = new StringBuilder("EventId");
        for (String f : List.of("DER_mass_MMC", "DER_mass_transverse_met_lep", "DER_mass_vis", "DER_pt_h", "DER_deltaeta_jet_jet",
                "DER_mass_jet_jet", "DER_prodeta_jet_jet", "DER_deltar_tau_lep", "DER_pt_tot", "DER_sum_pt", "DER_pt_ratio_lep_tau",
                "DER_met_phi_centrality", "DER_lep_eta_centrality", "PRI_tau_pt", "PRI_tau_eta", "PRI_tau_phi", "PRI_lep_pt", "PRI_lep_eta",
                "PRI_lep_phi", "PRI_met", "PRI_met_phi", "PRI_met_sumet", "PRI_jet_num", "PRI_jet_leading_pt", "PRI_jet_leading_eta",
                "PRI_jet_leading_phi", "PRI_jet_subleading_pt", "PRI_jet_subleading_eta", "PRI_jet_subleading_phi", "PRI_jet_all_pt")) {
            h.append(',').append(f);
        }
        return h.append(",Weight,Label,KaggleSet,KaggleWeight").toString();
    }

    /** Per label and jet count: events, weights, mass statistics; the columns typed from the header line. */
    static Plan higgsPlan() {
        List<Field> columns = new ArrayList<>();
        for (Field f : DelimitedFormat.columnsFromHeader(higgsHeader(), (byte) ',')) {
            boolean text = f.name().equals("Label") || f.name().equals("KaggleSet");
            columns.add(new Field(f.name(), f.name().equals("EventId") ? ColumnType.LONG : text ? ColumnType.UTF8 : ColumnType.DOUBLE));
        }
        return Plan.of(DelimitedFormat.csv(columns),
                Query.builder("labels").groupBy("Label").count("n").sum("Weight", "weight").mean("DER_mass_MMC", "mass")
                        .min("PRI_tau_pt", "min_tau_pt").max("PRI_tau_pt", "max_tau_pt").max("EventId", "last").build(),
                Query.builder("jets").where("DER_mass_MMC > -999").groupBy("PRI_jet_num", "Label").count("n").mean("KaggleWeight", "kw").build());
    }

    private FormatSamples() {
    }
}
