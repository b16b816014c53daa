package io.spate.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.spate.RunningPipeline;

/**
 * The launcher's class data sharing (bin/spate-cds.sh): a {@code run} or {@code demo} started
 * without an archive writes one as its JVM exits ({@code -XX:ArchiveClassesAtExit=FILE}), and the
 * launcher keeps it only if this JVM left {@code FILE.ok} beside it: the node computed at least one
 * batch, so that the archive holds the classes of a working pipeline (source, compute, sink), not
 * those of a run that failed at its start.
 */
final class ClassArchive {

    static final String FLAG = "-XX:ArchiveClassesAtExit=";
    static final String OK = ".ok";

    private ClassArchive() {
    }

    /** Leaves {@code FILE.ok} when this JVM writes a class archive at exit and {@code pipelines} computed a batch. */
    static void markIfWorked(List<RunningPipeline> pipelines) {
        if (pipelines.stream().noneMatch(p -> p.metrics().batches() > 0)) {
            return;
        }
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith(FLAG)) {
                try {
                    Files.write(Path.of(arg.substring(FLAG.length()) + OK), new byte[0]);
                } catch (IOException | RuntimeException e) {
                    // Without the mark the launcher drops this archive and the next run writes another.
                }
            }
        }
    }
}
