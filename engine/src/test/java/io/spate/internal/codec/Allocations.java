package io.spate.internal.codec;

import java.lang.management.ManagementFactory;

/** Measures the heap bytes the current thread allocates, to check that hot paths allocate nothing per record. */
final class Allocations {

    private Allocations() {
    }

    /** Bytes allocated by this thread while {@code work} ran. */
    static long during(Runnable work) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(id);
        work.run();
        return threads.getThreadAllocatedBytes(id) - before;
    }
}
