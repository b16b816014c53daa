package io.spate.examples;

import io.spate.cli.CliExtension;

/** Adds {@code spate example ...} to the command line when the examples are on the class path. */
public final class ExamplesExtension implements CliExtension {

    @Override
    public Object command() {
        return new ExampleCommand();
    }
}
