package io.spate.bench.peers;

import java.util.List;
import java.util.Objects;

/**
 * The topics of a golden-signals peer: its input, and its outputs named {@code outputPrefix} + the
 * signal, as Spate's benchmark pipeline names them.
 *
 * @param input the topic of Common Log Format lines
 * @param outputPrefix what the output topics' names start with
 */
public record SignalTopics(String input, String outputPrefix) {

    /** Checks the parts. */
    public SignalTopics {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(outputPrefix, "outputPrefix");
    }

    /** Requests per host. */
    public String traffic() {
        return outputPrefix + "traffic";
    }

    /** 5xx responses per host and status. */
    public String errors() {
        return outputPrefix + "errors";
    }

    /** Bytes sent per host. */
    public String mbSent() {
        return outputPrefix + "mb-sent";
    }

    /** Malformed lines, as they came. */
    public String deadLetter() {
        return outputPrefix + "weblogs.dlq";
    }

    /** Every topic the peer writes to, for callers that create them up front. */
    public List<String> outputs() {
        return List.of(traffic(), errors(), mbSent(), deadLetter());
    }
}
