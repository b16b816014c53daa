package io.spate.internal.train;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * Loads events of the ATLAS Higgs boson machine-learning challenge (2014) from its CSV files:
 * a header, then {@code EventId}, the 30 features ({@code DER_mass_MMC} .. {@code PRI_jet_all_pt},
 * -999.0 where undefined), {@code Weight}, {@code Label} ({@code s} for signal, {@code b} for
 * background), {@code KaggleSet} and {@code KaggleWeight}. Features are taken by header name:
 * every column but those five is one, in the first file's order. Files may be gzipped (recognised
 * by their content) and have CRLF line ends. Class 1 is signal, class 0 background.
 */
public final class AtlasCsv {

    /** Where the sample lives under {@code shared/data}. */
    public static final String SAMPLE_DIRECTORY = "atlas_higgs_2014";
    /** The sample's files: 4,999 signal and 4,999 background events. */
    public static final List<String> SAMPLE_FILES = List.of("train_sml_sig.csv.gz", "train_sml_bg.csv.gz");
    /** The challenge's 30 features in file order, e.g. for a model trained without the files. */
    public static final List<String> FEATURES = List.of("DER_mass_MMC", "DER_mass_transverse_met_lep", "DER_mass_vis",
            "DER_pt_h", "DER_deltaeta_jet_jet", "DER_mass_jet_jet", "DER_prodeta_jet_jet", "DER_deltar_tau_lep",
            "DER_pt_tot", "DER_sum_pt", "DER_pt_ratio_lep_tau", "DER_met_phi_centrality", "DER_lep_eta_centrality",
            "PRI_tau_pt", "PRI_tau_eta", "PRI_tau_phi", "PRI_lep_pt", "PRI_lep_eta", "PRI_lep_phi", "PRI_met",
            "PRI_met_phi", "PRI_met_sumet", "PRI_jet_num", "PRI_jet_leading_pt", "PRI_jet_leading_eta",
            "PRI_jet_leading_phi", "PRI_jet_subleading_pt", "PRI_jet_subleading_eta", "PRI_jet_subleading_phi",
            "PRI_jet_all_pt");

    private static final String EVENT_ID = "EventId";
    private static final String LABEL = "Label";
    private static final Set<String> NOT_FEATURES = Set.of(EVENT_ID, "Weight", LABEL, "KaggleSet", "KaggleWeight");

    private AtlasCsv() {
    }

    /**
     * Events read from one or more files.
     *
     * @param featureNames the feature columns, in the order of each row of {@code features}
     * @param features {@code size x featureNames.size()} values, row-major
     * @param labels per event, 1 for signal and 0 for background
     * @param eventIds per event, the {@code EventId} column
     */
    public record Events(List<String> featureNames, float[] features, int[] labels, long[] eventIds) {

        /** Events read. */
        public int size() {
            return labels.length;
        }
    }

    /** The files of {@link #SAMPLE_FILES} under the nearest {@code shared/data} above {@code start}, empty if there are none. */
    public static List<Path> findSample(Path start) {
        List<Path> found = new ArrayList<>();
        for (Path dir = start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path sample = dir.resolve("shared/data").resolve(SAMPLE_DIRECTORY);
            if (Files.isDirectory(sample)) {
                for (String name : SAMPLE_FILES) {
                    if (Files.isRegularFile(sample.resolve(name))) {
                        found.add(sample.resolve(name));
                    }
                }
                if (!found.isEmpty()) {
                    break;
                }
            }
        }
        return found;
    }

    /**
     * Reads and concatenates the events of {@code files}, which must all have the first one's
     * feature columns (in any order).
     *
     * @throws IOException if a file cannot be read, lacks a column, or has a bad row (the message
     *         names the file and the line)
     */
    public static Events load(List<Path> files) throws IOException {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no ATLAS CSV files given");
        }
        Columns columns = new Columns();
        List<String> names = null;
        for (Path file : files) {
            names = read(file, names, columns);
        }
        return new Events(List.copyOf(names), columns.features(), columns.labels(), columns.eventIds());
    }

    /** {@link #load(List)} of the given files. */
    public static Events load(Path... files) throws IOException {
        return load(List.of(files));
    }

    /** Reads one file into {@code columns}; returns its feature names, which must match {@code expected} if given. */
    private static List<String> read(Path file, List<String> expected, Columns columns) throws IOException {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(open(file), StandardCharsets.UTF_8), 1 << 16)) {
            String header = in.readLine();
            if (header == null) {
                throw new IOException(file + ": empty, expected a CSV header");
            }
            // readLine drops "\n", "\r" and "\r\n" alike; a UTF-8 byte-order mark would stick to EventId.
            String[] head = header.replace("\uFEFF", "").split(",", -1);
            Map<String, Integer> index = new HashMap<>();
            List<String> names = new ArrayList<>();
            for (int c = 0; c < head.length; c++) {
                String name = head[c].trim();
                if (index.put(name, c) != null) {
                    throw new IOException(file + ":1: column '" + name + "' appears twice");
                }
                if (!NOT_FEATURES.contains(name)) {
                    names.add(name);
                }
            }
            for (String required : List.of(EVENT_ID, LABEL)) {
                if (!index.containsKey(required)) {
                    throw new IOException(file + ":1: no '" + required + "' column in the header");
                }
            }
            List<String> order = expected == null ? names : expected;
            if (expected != null && !(names.size() == expected.size() && names.containsAll(expected))) {
                throw new IOException(file + ":1: feature columns " + names + " differ from the first file's " + expected);
            }
            int[] featureColumns = new int[order.size()];
            for (int f = 0; f < featureColumns.length; f++) {
                featureColumns[f] = index.get(order.get(f));
            }
            int idColumn = index.get(EVENT_ID);
            int labelColumn = index.get(LABEL);
            float[] row = new float[featureColumns.length];
            String line;
            int lineNumber = 1;
            while ((line = in.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                String[] fields = line.split(",", -1);
                if (fields.length != head.length) {
                    throw new IOException(file + ":" + lineNumber + ": " + fields.length + " fields, the header has " + head.length);
                }
                String column = EVENT_ID;
                try {
                    long id = Long.parseLong(fields[idColumn].trim());
                    for (int f = 0; f < featureColumns.length; f++) {
                        column = order.get(f);
                        row[f] = Float.parseFloat(fields[featureColumns[f]].trim());
                    }
                    column = LABEL;
                    columns.add(id, row, label(fields[labelColumn].trim()));
                } catch (IllegalArgumentException e) {
                    throw new IOException(file + ":" + lineNumber + ": bad " + column + " '" + fields[index.get(column)].trim()
                            + "' (" + e.getMessage() + ")", e);
                }
            }
            return order;
        }
    }

    private static int label(String value) {
        switch (value) {
            case "s":
                return 1;
            case "b":
                return 0;
            default:
                throw new IllegalArgumentException("expected s or b");
        }
    }

    /** The file's content, gunzipped when it starts with the gzip magic number whatever its name. */
    private static InputStream open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        try {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            return b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(raw, 1 << 16) : raw;
        } catch (IOException e) {
            raw.close();
            throw e;
        }
    }

    /** Growable columns of the events read so far. */
    private static final class Columns {
        private float[] features = new float[1 << 16];
        private int[] labels = new int[1 << 12];
        private long[] eventIds = new long[1 << 12];
        private int size;
        private int width = -1;

        void add(long id, float[] row, int label) {
            width = row.length;
            if (size == labels.length) {
                labels = Arrays.copyOf(labels, 2 * size);
                eventIds = Arrays.copyOf(eventIds, 2 * size);
            }
            if ((long) (size + 1) * width > features.length) {
                features = Arrays.copyOf(features, Math.max(2 * features.length, (size + 1) * width));
            }
            System.arraycopy(row, 0, features, size * width, width);
            labels[size] = label;
            eventIds[size] = id;
            size++;
        }

        float[] features() {
            return Arrays.copyOf(features, size * Math.max(width, 0));
        }

        int[] labels() {
            return Arrays.copyOf(labels, size);
        }

        long[] eventIds() {
            return Arrays.copyOf(eventIds, size);
        }
    }
}
