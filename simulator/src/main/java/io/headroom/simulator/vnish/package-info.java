/**
 * A simulated miner on Vnish firmware: its web REST API ({@code /api/v1}) with token unlock or API key, autotune
 * presets as the only power control (a wattage it has no preset for is accepted and ignored), over the shared
 * physical miner model.
 */
package io.headroom.simulator.vnish;
