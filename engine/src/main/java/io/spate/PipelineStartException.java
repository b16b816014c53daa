package io.spate;

import java.util.Objects;

/**
 * A pipeline could not start because of the Kafka cluster or its topics, found out before anything
 * was read: its message is one line naming the cause ({@code no Kafka broker reachable at
 * 127.0.0.1:29999 (after 15 s)}), and {@link #problem()} says which kind it is, so that a caller
 * (the CLI picks its exit code by it) need not parse the message.
 */
public final class PipelineStartException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What kept the pipeline from starting. */
    public enum Problem {
        /** No broker answered at the bootstrap servers within {@code spate.kafka.startup-timeout}. */
        UNREACHABLE,
        /** The TLS handshake with the brokers failed (a plaintext listener, an untrusted certificate...). */
        TLS_HANDSHAKE,
        /** The brokers refused the client's login or its rights (SASL, ACLs). */
        NOT_AUTHORIZED,
        /** A source topic does not exist (and {@code spate.source.await-topics} is off). */
        NO_INPUT_TOPIC,
        /** An output or dead-letter topic does not exist and {@code spate.output.create-topics} is off. */
        NO_OUTPUT_TOPIC,
        /** An output or dead-letter topic could not be created. */
        TOPIC_NOT_CREATED
    }

    private final Problem problem;

    /** A start failure of kind {@code problem} saying {@code message}. */
    public PipelineStartException(Problem problem, String message, Throwable cause) {
        super(message, cause);
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    /** What kept the pipeline from starting. */
    public Problem problem() {
        return problem;
    }

    /**
     * Whether the user's configuration is what to fix (a topic name, a setting such as a TLS
     * client against a plaintext listener), rather than the cluster or the network.
     */
    public boolean configurationProblem() {
        return problem == Problem.NO_INPUT_TOPIC || problem == Problem.NO_OUTPUT_TOPIC || problem == Problem.TLS_HANDSHAKE;
    }
}
