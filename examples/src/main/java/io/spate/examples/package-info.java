/** The seed workloads as runnable programs built with the Java DSL. */
package io.spate.examples;
