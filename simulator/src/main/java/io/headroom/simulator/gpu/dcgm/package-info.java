/** A simulated NVIDIA dcgm-exporter: the Prometheus text endpoint of one GPU server, on loopback. */
package io.headroom.simulator.gpu.dcgm;
