/** The standalone node: configuration loading, running pipelines until stopped or idle, summaries. */
package io.spate.internal.node;
