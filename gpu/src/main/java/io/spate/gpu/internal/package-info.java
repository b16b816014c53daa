/**
 * The GPU backend's internals, the only package that imports {@code jcuda}: device detection
 * ({@link io.spate.gpu.internal.GpuDetection}), the context and kernels module
 * ({@code GpuDevice}), pooled device and pinned buffers ({@code DeviceMemory}), the device form
 * of plans and the batch run ({@code DeviceQuery}, {@code ClfDeviceRun}), the host finish
 * (running state, having), the backend and its provider, and the {@code gpu-info} and
 * {@code gpu-bench} commands.
 *
 * <p>On the device: CLF decoding with the CPU decoder's exact checks and reject reasons; filters on
 * any CLF field; hash group-by on any CLF fields (strings compared by bytes); count, sum, min, max
 * and mean (sum and count on the device, the division on the host); word count (tokenize) over a
 * CLF string field, grouped by the word, without filters. On the host: running aggregates (merged
 * per batch into {@code RunningState}) and {@code having}. On the CPU twin: every other format
 * (delimited, JSON), inference (classify, recommend), word counts with filters, and batches whose
 * lower-cased words have non-ASCII letters.
 */
package io.spate.gpu.internal;
