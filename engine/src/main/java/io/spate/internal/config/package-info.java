/** Reading pipelines and node settings from HOCON, failing fast with the key that is wrong. */
package io.spate.internal.config;
