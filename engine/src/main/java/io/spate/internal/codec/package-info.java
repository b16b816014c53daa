/**
 * Record decoders: turn the raw bytes of a {@link io.spate.RecordBatch} into typed columns, one
 * decoder per {@link io.spate.plan.InputFormat}.
 *
 * <p>Decoders read only the fields a plan references and write them into a reusable
 * {@link io.spate.internal.codec.DecodedBatch}: numbers into {@code long[]}/{@code double[]},
 * strings as slices of the batch bytes (or of a side arena for the few values that must be
 * rewritten), so decoding a record allocates nothing. Malformed records are reported with a short
 * reason, never thrown. These types are internal: public only because the CPU backend in
 * {@code io.spate.internal.cpu} uses them.
 */
package io.spate.internal.codec;
