/** A site of simulated miners: starts, ticks and closes many miners that share one RPC server thread. */
package io.headroom.simulator.site;
