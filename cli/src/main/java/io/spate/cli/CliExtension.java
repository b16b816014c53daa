package io.spate.cli;

/**
 * A subcommand that another module adds to {@code spate}, found with {@link java.util.ServiceLoader}
 * (a {@code META-INF/services/io.spate.cli.CliExtension} entry), so that modules the engine does
 * not know (the examples) extend the CLI without the engine depending on them.
 */
public interface CliExtension {

    /** The picocli command object (a class annotated with {@code @Command}). */
    Object command();
}
