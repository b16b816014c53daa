package io.spate.internal.codec;

import java.lang.management.ManagementFactory;

import com.sun.management.ThreadMXBean;

/** Measures the heap bytes the current thread allocates, to check that hot paths allocate nothing per record. */
final class Allocations {

    private Allocations() {
    }

    /** Bytes allocated by this thread while {@code work} ran. */
    static long during(Runnable work) {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(id);
        work.run();
        return threads.getThreadAllocatedBytes(id) - before;
    }
}
