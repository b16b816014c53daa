package io.spate.bench.peers;

/**
 * The keys and values of the golden-signal topics as Jackson writes them: field order is the
 * record's, so the JSON reads exactly as Spate's ({@code {"host":...,"requests":N}}).
 */
final class SignalRecords {

    private SignalRecords() {
    }

    /** A value of the traffic topic. */
    record HostRequests(String host, long requests) {
    }

    /** A value of the mb-sent topic. */
    record HostBytes(String host, long bytes) {
    }

    /** The key of the errors topic, and its grouping key. */
    record ErrorKey(String host, int response) {
    }

    /** A value of the errors topic. */
    record HostErrors(String host, int response, long errors) {
    }
}
