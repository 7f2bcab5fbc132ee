/** CGMiner-family JSON RPC (TCP 4028 style) served on loopback, with the LuxOS command set and firmware quirks. */
package io.headroom.simulator.cgminer;
