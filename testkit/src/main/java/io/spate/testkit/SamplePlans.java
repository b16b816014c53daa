package io.spate.testkit;

import java.time.Duration;
import java.util.List;

import io.spate.plan.ClfFormat;
import io.spate.plan.Plan;
import io.spate.plan.Query;
import io.spate.plan.Window;

/**
 * Plans the {@link BackendContract} runs, for a backend's own tests beside the suite: the
 * golden signals over NASA log lines, per batch, running and windowed, and {@link #shapes()},
 * one plan of each record format and query shape the suite expects a backend to run itself.
 */
public final class SamplePlans {

    static final Query PER_HOST = Query.builder("per-host").groupBy("host")
            .count("requests").sum("bytes", "bytes").min("bytes", "smallest").max("bytes", "largest").mean("bytes", "mean").build();
    static final Query PER_STATUS = Query.builder("per-status").groupBy("status").count("requests").build();

    /**
     * Golden signals over Common Log Format lines, per batch: requests and bytes per host, 5xx
     * responses per host and status, requests per status, GETs over 1,000 bytes per path (at least
     * two), and the total; every frame's first aggregate is a count.
     */
    public static final Plan GOLDEN = Plan.of(new ClfFormat(), PER_HOST,
            Query.builder("errors").where("status >= 500").groupBy("host", "status as response").count("errors").build(),
            PER_STATUS,
            Query.builder("gets").where("method == GET", "bytes > 1000").groupBy("path").count("n").having("n >= 2").build(),
            Query.builder("total").count("requests").sum("timestamp", "t").build());

    /** Requests and bytes per host, running across batches, with a having clause over the running count. */
    public static final Plan RUNNING = Plan.of(new ClfFormat(),
            Query.builder("hosts").groupBy("host").count("requests").mean("bytes", "mean").max("bytes", "largest").having("requests > 3").running().build());

    /** Per-batch windows: tumbling by minute per host, hopping by two minutes every minute over the errors; and requests per status. */
    public static final Plan WINDOWS = Plan.of(new ClfFormat(),
            Query.builder("per-minute").groupBy("host").count("requests").sum("bytes", "bytes").max("bytes", "largest")
                    .window(Window.tumbling("timestamp", Duration.ofMinutes(1))).build(),
            Query.builder("errors").where("status >= 500").groupBy("status").count("errors").mean("bytes", "mean")
                    .window(Window.hopping("timestamp", Duration.ofMinutes(2), Duration.ofMinutes(1)).withOutOfOrderness(Duration.ofSeconds(30)))
                    .build(),
            PER_STATUS);

    /** Running windows with having and a short retention, so that windows are evicted while records keep coming. */
    public static final Plan RUNNING_WINDOWS = Plan.of(new ClfFormat(),
            Query.builder("hosts").groupBy("host").count("requests").sum("bytes", "bytes").having("requests >= 2")
                    .window(Window.hopping("timestamp", Duration.ofMinutes(3), Duration.ofMinutes(1)).withOutOfOrderness(Duration.ofSeconds(20))
                            .withAllowedLateness(Duration.ofSeconds(10)).withRetention(Duration.ofMinutes(2)))
                    .running().build(),
            Query.builder("total").count("requests").window(Window.tumbling("timestamp", Duration.ofMinutes(2))).running().build());

    static final Plan WORDS = Plan.of(new ClfFormat(),
            Query.builder("words").tokenize("request", "word", true).groupBy("word").count("n").build());

    private SamplePlans() {
    }

    /**
     * One plan of each record format (CLF, CSV, TSV, JSON, a whole record as a number) and query
     * shape (group-by, word count, windows) that the suite expects a backend to run itself rather
     * than leave to the CPU: what a backend that declines plans checks it takes.
     */
    public static List<Plan> shapes() {
        return List.of(GOLDEN, WORDS, FormatSamples.csv(FormatSamples.CSV_COLUMNS), FormatSamples.tsv(), FormatSamples.nasaTsvPlan(),
                FormatSamples.commits(), FormatSamples.wholeRecord(), FormatSamples.jsonWords(true), FormatSamples.githubPlan(),
                FormatSamples.higgsPlan(), WINDOWS, RUNNING_WINDOWS);
    }
}
