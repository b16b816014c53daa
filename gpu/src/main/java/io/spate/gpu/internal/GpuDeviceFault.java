package io.spate.gpu.internal;

/**
 * A CUDA error during a batch. The GPU backend throws it after dropping its context, leaving its
 * running state as it was; the compute actor counts the fault and runs the batch again, and that
 * run goes to the CPU (the next batch gets a new context).
 */
public final class GpuDeviceFault extends RuntimeException {

    private static final long serialVersionUID = 1L;

    GpuDeviceFault(String message, Throwable cause) {
        super(message, cause);
    }
}
