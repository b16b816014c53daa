/**
 * Columnar results: {@link io.spate.frame.Frame} and its typed {@link io.spate.frame.Column}s.
 * Backends return frames of one row per group so that what flows on to the sinks is small.
 */
package io.spate.frame;
