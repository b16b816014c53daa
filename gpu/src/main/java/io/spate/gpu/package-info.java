/**
 * The GPU backend (JCuda, driver API). This module is a placeholder until the GPU backend lands:
 * it registers no {@link io.spate.spi.ComputeBackendProvider}, so nodes run the CPU backend.
 */
package io.spate.gpu;
