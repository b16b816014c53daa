package io.spate.gpu.internal;

import io.spate.cli.CliExtension;

/** Adds {@code spate gpu info} (alias {@code spate gpu-info}) and {@code spate gpu bench} when the GPU module is on the class path. */
public final class GpuCliExtension implements CliExtension {

    /** For {@link java.util.ServiceLoader}. */
    public GpuCliExtension() {
    }

    @Override
    public Object command() {
        return new GpuCommands();
    }
}
