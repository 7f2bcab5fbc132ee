/**
 * A simulated miner on Braiins OS: the subset of the "Braiins OS Public REST API" (v1.3.0) that the agent's
 * {@code braiins} driver uses, over plain HTTP on a loopback port, with token authentication, backed by the
 * shared {@link io.headroom.simulator.miner.MinerModel}.
 */
package io.headroom.simulator.braiins;
