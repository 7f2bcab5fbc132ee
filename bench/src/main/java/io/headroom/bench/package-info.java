/**
 * Benchmarks of Headroom: JMH benchmarks of the hot paths, and process benches that measure whole
 * systems ({@link io.headroom.bench.SystemBench} and {@link io.headroom.bench.ScaleBench}: a real
 * controller process under a load generator, beside Mosquitto). Not tests: run by hand with the
 * commands in {@code docs/benchmarks.md}; each run prints one {@code BENCH …} summary line.
 */
package io.headroom.bench;
