package io.spate.gpu.internal;

/** A batch needs more pinned or device memory than the configured caps allow; it runs on the CPU instead (not a fault). */
final class GpuCapacityException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    GpuCapacityException(String message) {
        super(message);
    }
}
