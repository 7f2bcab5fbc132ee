/**
 * A simulated MicroBT Whatsminer on loopback: API v2 (CGMiner-style reads, encrypted token-checked writes,
 * TCP) and API v3 (length-prefixed frames, salted tokens), both over one {@link
 * io.headroom.simulator.miner.MinerModel}.
 */
package io.headroom.simulator.whatsminer;
