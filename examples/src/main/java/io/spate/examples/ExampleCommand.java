package io.spate.examples;

import picocli.CommandLine.Command;

/** {@code spate example NAME}: each seed workload end to end in one command. */
@Command(name = "example", mixinStandardHelpOptions = true,
        description = "Run a seed workload end to end: start a broker (or use --bootstrap), load its data, run its pipeline until idle, print the results.",
        subcommands = {WordCountExample.class, RecommendationsExample.class, HiggsExample.class})
public final class ExampleCommand implements Runnable {

    @picocli.CommandLine.Spec
    private picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
