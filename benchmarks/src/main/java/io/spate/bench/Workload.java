package io.spate.bench;

import java.io.IOException;
import java.util.List;

import io.spate.Pipeline;

/**
 * A job {@code spate bench} measures: the input records it makes from the log lines, its Spate
 * pipeline, and the outputs those records must come to, computed without the engine. Public so
 * that the JMH benchmarks run the same jobs' compute on the same input.
 */
public interface Workload {

    /** The workload's name on the command line and in the report. */
    String name();

    /**
     * The first {@code n} records of this workload's input, made from {@code lines} repeated as
     * often as needed; a view that makes each record when asked, so that 10^7 of them are not held.
     */
    List<byte[]> input(List<byte[]> lines, long n);

    /** The Spate pipeline reading {@code input}, with every topic, group and pipeline name starting with {@code prefix}. */
    Pipeline pipeline(String input, String prefix, int batchRecords);

    /** What a run over {@link #input(List, long)} must write, computed independently of the engine. */
    Expected expected(List<byte[]> lines, long n);

    /** The outputs a run must leave behind. */
    interface Expected {

        /**
         * Why the outputs of the run whose topics start with {@code prefix} differ from these, or
         * null when they are exact.
         *
         * @param lastValues read each output as an upsert stream (the last value per key is the
         *                   total), not as per-batch records to sum; outputs that are upsert
         *                   streams in every variant ignore it
         */
        String differenceIn(String bootstrap, String prefix, boolean lastValues) throws IOException;
    }

    /** The workloads by name, in the order they run. */
    static List<String> names() {
        return List.of(GoldenSignals.NAME, WordCount.NAME, HourlySignals.NAME);
    }

    /** The workload called {@code name}. */
    static Workload named(String name) {
        switch (name) {
            case GoldenSignals.NAME:
                return new GoldenSignals();
            case WordCount.NAME:
                return new WordCount();
            case HourlySignals.NAME:
                return new HourlySignals();
            default:
                throw new IllegalArgumentException("unknown workload '" + name + "'; known: " + names());
        }
    }
}
