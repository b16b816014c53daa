/**
 * The Java DSL: {@link io.spate.javadsl.Spate#run} runs a {@link io.spate.Pipeline} on your actor
 * system; {@link io.spate.javadsl.SpateStreams} gives the same pieces as Pekko Streams stages.
 */
package io.spate.javadsl;
