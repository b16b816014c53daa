/**
 * The compute backend SPI: {@link io.spate.spi.ComputeBackend} runs a plan on a batch,
 * {@link io.spate.spi.ComputeBackendProvider} is what {@link java.util.ServiceLoader} finds.
 * The GPU module implements these without the engine knowing it exists.
 */
package io.spate.spi;
