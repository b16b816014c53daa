package io.spate.cli;

import picocli.CommandLine;
import picocli.CommandLine.IVersionProvider;

/**
 * What {@code spate -V} (and {@code spate run -V}, any command's {@code -V}) prints: the version in
 * the CLI jar's manifest ({@code Implementation-Version}), or "development build" when the classes
 * come from a build directory rather than a jar, and the Java runtime it runs on.
 */
final class SpateVersion implements IVersionProvider {

    /** What stands for the version when the CLI does not run from a built jar. */
    static final String DEVELOPMENT_BUILD = "development build";

    @Override
    public String[] getVersion() {
        return lines(SpateVersion.class.getPackage().getImplementationVersion());
    }

    /** The lines printed for a jar whose manifest says {@code implementationVersion} ({@code null}: none). */
    static String[] lines(String implementationVersion) {
        String version = implementationVersion == null || implementationVersion.isBlank() ? DEVELOPMENT_BUILD : implementationVersion;
        return new String[] {"spate " + version,
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ", "
                        + System.getProperty("java.vendor") + ")"};
    }

    /**
     * Makes this the version of {@code cli} and of every command under it, so that a subcommand's
     * {@code -V} (from {@code mixinStandardHelpOptions}) prints it too, extensions' commands included.
     */
    static void addTo(CommandLine cli) {
        cli.getCommandSpec().versionProvider(new SpateVersion());
        for (CommandLine sub : cli.getSubcommands().values()) {
            addTo(sub);
        }
    }
}
