/**
 * The GPU backend's internals, the only package that imports {@code jcuda}: device detection
 * ({@link io.spate.gpu.internal.GpuDetection}), the context and kernels module
 * ({@code GpuDevice}), the pinned staging buffers batches are built in ({@code StagingPool} over
 * {@code PinnedMemory}), the backend's pooled device and pinned buffers ({@code DeviceMemory}), the device form
 * of plans and the batch run ({@code DeviceQuery}, {@code DeviceRun}, with a format's decode kernel behind {@code DeviceDecode}),
 * model inference on the device ({@code DeviceInference}, {@code DeviceModels}, {@code DeviceMlp},
 * {@code DeviceRecommender}), the host finish
 * (running state, having), the backend and its provider, and the {@code gpu-info} and
 * {@code gpu-bench} commands.
 *
 * <p>On the device: decoding of CLF, delimited (CSV, TSV, any delimiter, RFC 4180 quotes; doubled
 * quotes unescaped into an arena after the batch bytes) and JSON (dotted paths, escapes unescaped
 * into the same arena), each into one decoded layout ({@code DeviceDecode}); CLF's reject reasons
 * come from the kernel's codes, delimited and JSON reasons from the CPU decoder run over just the
 * rejected records ({@code RejectReasons}); filters on any decoded field (long, double, string);
 * hash group-by on any decoded fields (strings compared by bytes, doubles by bits); count, sum, min,
 * max and mean over long and double columns (double sums are atomic adds, order-dependent within a
 * relative 1e-9 of the CPU's; double min and max are exact); word count (tokenize) over any string
 * field, grouped by the word, without filters, non-ASCII words lower-cased and merged on the host
 * ({@code WordGroups}); the (window, group) aggregation of event-time windows, tumbling and
 * hopping. On the host: running aggregates (merged per batch into {@code RunningState}),
 * {@code having}, and which windows each record goes to ({@code WindowEntries}, by the window
 * kernels of the CPU twin, which keep per-partition watermarks, lateness, eviction and restored
 * event time for both paths). Model inference (classify: the MLP forward pass;
 * recommend: MF scores and top-k per user) runs on the device behind the host's decoding, feature
 * gathering and frames (the CPU backend's, so the frames are the same), the weights uploaded once
 * per plan and context, when the plan's queries keep no state across batches. On the CPU twin:
 * inference next to running or windowed queries, word counts with filters, JSON plans reading more than 64 fields or paths
 * deeper than 15 keys, and batches holding a value only the CPU parses exactly (a double beyond
 * the exact fast path, an integer beyond a long read as a double, an escaped JSON key on a wanted
 * path) or a record the device rejected and the CPU accepts, and batches where a long sum or mean
 * could leave the long range in some order of the device's adds ({@code QueryFinish#mayOverflow}:
 * the CPU dead-letters, in batch order, the record that would take a sum there).
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
