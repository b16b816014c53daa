/**
 * The GPU backend's internals, the only package that imports {@code jcuda}: device detection
 * ({@link io.spate.gpu.internal.GpuDetection}), the context and kernels module
 * ({@code GpuDevice}), the pinned staging buffers batches are built in ({@code StagingPool} over
 * {@code PinnedMemory}), the backend's pooled device and pinned buffers ({@code DeviceMemory}), the device form
 * of plans and the batch run ({@code DeviceQuery}, {@code ClfDeviceRun}), model inference on the
 * device ({@code DeviceInference}, {@code DeviceModels}, {@code DeviceMlp}, {@code DeviceRecommender}), the host finish
 * (running state, having), the backend and its provider, and the {@code gpu-info} and
 * {@code gpu-bench} commands.
 *
 * <p>On the device: CLF decoding with the CPU decoder's exact checks and reject reasons; filters on
 * any CLF field; hash group-by on any CLF fields (strings compared by bytes); count, sum, min, max
 * and mean (sum and count on the device, the division on the host); word count (tokenize) over a
 * CLF string field, grouped by the word, without filters. On the host: running aggregates (merged
 * per batch into {@code RunningState}) and {@code having}. Model inference (classify: the MLP
 * forward pass; recommend: MF scores and top-k per user) runs on the device behind the host's
 * decoding, feature gathering and frames (the CPU backend's, so the frames are the same), the
 * weights uploaded once per plan and context, when the plan's queries keep no state across
 * batches. On the CPU twin: every other format (delimited, JSON) for queries, inference next to
 * running or windowed queries, word counts with filters, and batches whose lower-cased words have
 * non-ASCII letters.
 *
 * <p>The data path of a batch the device runs. (1) The provider offers the batch source a
 * {@code StagingPool}: pinned host buffers ({@code cuMemHostAlloc}, portable, in the device's
 * primary context so they outlive the backend's context) within {@code spate.gpu.staging-bytes},
 * made in whole MiBs and reused from batch to batch. The batch source appends record values
 * straight into one ({@code RecordBatchBuilder}); when none is free within the cap it builds on
 * the heap instead, without waiting. (2) The compute actor queues batches; before running one it
 * tells the backend of the batch queued behind it ({@code prepare}), and the backend queues that
 * batch's copy into the free one of two device slots on the copy stream, so it crosses PCIe while
 * the batch ahead runs its kernels on the compute stream. A batch nobody prepared is copied when
 * it runs. A staged batch crosses in one copy from its staging buffer (plus its record bounds,
 * through a small pinned buffer); a heap batch is first copied into the backend's own pinned
 * buffer of its slot. (3) The compute stream waits on the slot's copy event, parses, groups and
 * compacts; the host waits only for the small per-group rows, and builds key columns reading the
 * staging buffer in place. (4) After the batch's results are encoded, the stream gives its
 * staging buffer back to the pool. Device buffers (both slots and the work buffers) and the
 * backend's pinned buffers are kept between batches and grown only when a batch needs more,
 * within {@code spate.gpu.max-device-bytes} and what the staging buffers leave of
 * {@code spate.gpu.max-pinned-bytes}; a batch over them runs on the CPU.
 */
package io.spate.gpu.internal;
