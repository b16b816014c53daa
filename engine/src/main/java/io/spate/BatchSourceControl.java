package io.spate;

import java.util.concurrent.CompletionStage;

/**
 * Stops and shuts down a running batch source (the materialized value of
 * {@code SpateStreams.batchSource}). Stopping and shutting down are two steps because the
 * consumer must outlive the stream's last element: the last batches still commit through it.
 */
public interface BatchSourceControl {

    /** Stop reading: the open batch is emitted, then the source completes; commits still work. */
    void stop();

    /** Closes the consumer (after the stream has finished and committed); completes once it is closed. */
    CompletionStage<Void> shutdown();
}
