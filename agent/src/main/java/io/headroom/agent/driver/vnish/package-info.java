/**
 * The {@code vnish} driver: Vnish (AnthillOS) firmware on Antminers through its web REST API ({@code /api/v1},
 * xminer-api 1.2.x–1.3.x) over HTTP with a token from {@code unlock} (or an API key), for telemetry, a power target
 * chosen among the miner's autotune presets only, and mining stop/start as sleep/wake.
 */
package io.headroom.agent.driver.vnish;
