package io.spate.cli;

import java.io.File;
import java.nio.file.Files;

import io.spate.internal.kafka.TopicNames;

/**
 * Checks of command-line values made before a command connects or reads anything. Each failure is
 * an {@link IllegalArgumentException} naming the option, which {@link SpateCli} prints as one line
 * and exit code 2.
 */
final class CliChecks {

    private CliChecks() {
    }

    /** Returns {@code topic} if Kafka takes it as a topic name; else fails naming {@code option}. */
    static String topic(String option, String topic) {
        try {
            return TopicNames.valid(topic);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage());
        }
    }

    /** Returns {@code file} if it is a readable regular file; else fails naming {@code option} and what it is instead. */
    static File readableFile(String option, File file) {
        if (!file.exists()) {
            throw new IllegalArgumentException(option + ": no such file: " + file);
        }
        if (file.isDirectory()) {
            throw new IllegalArgumentException(option + ": " + file + " is a directory, not a file");
        }
        if (!Files.isReadable(file.toPath())) {
            throw new IllegalArgumentException(option + ": cannot read " + file);
        }
        return file;
    }
}
