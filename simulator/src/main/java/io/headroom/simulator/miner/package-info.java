/** Physical model of one SHA-256 miner: power ramps, heat, hashrate and fans, stepped by a clock. */
package io.headroom.simulator.miner;
