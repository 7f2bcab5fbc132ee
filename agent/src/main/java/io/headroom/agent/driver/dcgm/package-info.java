/** Reads GPUs through NVIDIA dcgm-exporter's Prometheus text endpoint ({@code GET :9400/metrics}), read only. */
package io.headroom.agent.driver.dcgm;
