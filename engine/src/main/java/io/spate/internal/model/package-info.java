/**
 * Models served in streams and the commands that train them: safetensors I/O, the MLP classifier
 * and the matrix-factorisation recommender. The CPU code here is the reference the GPU kernels
 * must match.
 */
package io.spate.internal.model;
