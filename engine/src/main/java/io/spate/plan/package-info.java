/**
 * Plans: the immutable, validated description of the work on a batch (input format, filters,
 * group keys, aggregates, thresholds). Plans are data, so every backend runs the same plan and the
 * CPU backend defines what the answers are.
 */
package io.spate.plan;
