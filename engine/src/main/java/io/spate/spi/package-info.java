/**
 * The compute backend SPI: {@link io.spate.spi.ComputeBackend} runs a plan on a batch,
 * {@link io.spate.spi.ComputeBackendProvider} is what {@link java.util.ServiceLoader} finds, and
 * may offer {@link io.spate.spi.BatchBuffers}, the staging memory batches are built in.
 * The GPU module implements these without the engine knowing it exists.
 */
package io.spate.spi;
