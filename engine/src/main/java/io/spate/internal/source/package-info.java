/**
 * The batch-native Kafka source: a consumer on a thread of its own fills whole batches, so the
 * stream carries one element per batch instead of one per record.
 */
package io.spate.internal.source;
