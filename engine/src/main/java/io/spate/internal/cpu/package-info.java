/**
 * The CPU backend, the reference semantics of the engine: decode a batch with the codecs of
 * {@code io.spate.internal.codec}, then run each query as filter, hash group-by and aggregate
 * kernels over primitive arrays, with no object per record or per key.
 *
 * <p>Semantics every backend must match: filters compare numbers numerically ({@link
 * java.lang.Long#compare}, {@link java.lang.Double#compare}) and strings byte-wise unsigned; group
 * keys are equal when their bytes, longs or {@link java.lang.Double#doubleToLongBits} bits are;
 * groups come out in the order of their first record in the batch; {@code sum} over longs never
 * wraps: a record whose value would take its group's sum (from the running sum, where the query
 * runs across batches) out of the long range, adding in batch order, is a dead letter with reason
 * {@code overflow: ...} and counts in no query of its batch (see {@code PlanProgram});
 * {@code min}/{@code max} over doubles follow {@link java.lang.Math#min(double, double)};
 * {@code mean} is the exact sum divided by the count; {@code having} compares the aggregate as a
 * double.
 */
package io.spate.internal.cpu;
