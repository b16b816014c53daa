/**
 * Spate's public model: {@link io.spate.Pipeline} (what to run), {@link io.spate.SpateSettings}
 * (where and how), {@link io.spate.RecordBatch} and {@link io.spate.BatchResult} (the unit of
 * work and its answer), {@link io.spate.RunningPipeline} and {@link io.spate.PipelineMetrics}.
 */
package io.spate;
