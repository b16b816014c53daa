package io.spate.internal.source;

import io.spate.RecordBatchBuilder;

/**
 * Copies one stream element into an open batch: its value bytes into the builder, its offset
 * into the commit tracker.
 *
 * @param <T> the stream element
 */
@FunctionalInterface
public interface BatchAppender<T> {

    /** Appends {@code element}. */
    void append(T element, RecordBatchBuilder builder, CommitTracker commits);

    /** The payload size of {@code element}, to close a batch before it would exceed its byte limit. */
    default int sizeOf(T element) {
        return 0;
    }
}
