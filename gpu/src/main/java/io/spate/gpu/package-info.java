/**
 * The GPU backend (JCuda, driver API): its provider is found with {@link java.util.ServiceLoader}
 * and preferred over the CPU backend when a device answers; everything lives in
 * {@link io.spate.gpu.internal}.
 */
package io.spate.gpu;
