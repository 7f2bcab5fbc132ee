/**
 * A simulated GPU server: {@link io.headroom.simulator.gpu.GpuServerModel}, the physical model of N
 * GPUs under a chassis power cap, stepped by a clock, and
 * {@link io.headroom.simulator.gpu.SimulatedRedfishServer}, its BMC over HTTPS (DMTF Redfish).
 */
package io.headroom.simulator.gpu;
