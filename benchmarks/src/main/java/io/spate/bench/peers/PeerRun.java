package io.spate.bench.peers;

/**
 * What a run of a peer read and how long it took, as its runner reports it.
 *
 * @param records records read: for a run to the end, the sum over the input's partitions of end
 *                offset minus start offset (committed, else earliest); for a served run, the
 *                records the peer saw
 * @param bytes value bytes the peer read
 * @param seconds wall time from the start to caught up (for a served run, to stopped)
 * @param clean whether the peer ran without failing and closed in time
 */
public record PeerRun(long records, long bytes, double seconds, boolean clean) {

    /** Records per second over {@link #seconds()}. */
    public double recordsPerSecond() {
        return records / seconds;
    }
}
