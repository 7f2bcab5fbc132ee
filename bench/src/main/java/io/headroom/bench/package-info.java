/**
 * JMH benchmarks of Headroom's hot paths. Not tests: run by hand with the command in
 * {@code docs/benchmarks.md}; each run prints one {@code BENCH …} summary line.
 */
package io.headroom.bench;
