package io.spate.spi;

/**
 * What a backend holds and has spent so far, read by the compute actor after each batch for the
 * pipeline's meters: the groups its running outputs hold now, and, for a device backend, the device memory it
 * holds, the bytes it has copied from host to device and the time its device work took (copies and kernels, timed
 * on the host around each batch's device run, synchronised). Counts of work are cumulative since
 * the backend was made.
 *
 * @param stateGroups groups held by the running outputs (windows times keys for windowed ones), or -1 when the backend does not say
 * @param deviceCopiedBytes bytes copied from host to device so far (0 for a backend without a device)
 * @param deviceNanos nanoseconds of device work so far (0 for a backend without a device)
 * @param deviceMemoryBytes device memory the backend holds now (its buffers and model weights; 0 without a device)
 */
public record BackendStats(long stateGroups, long deviceCopiedBytes, long deviceNanos, long deviceMemoryBytes) {

    /** A backend that says nothing. */
    public static final BackendStats NONE = new BackendStats(-1, 0, 0, 0);
}
