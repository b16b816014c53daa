package io.spate.bench;

import io.spate.cli.CliExtension;

/** Adds {@code spate bench} to the command line when the benchmarks module is on the class path. */
public final class BenchExtension implements CliExtension {

    @Override
    public Object command() {
        return new BenchCommand();
    }
}
