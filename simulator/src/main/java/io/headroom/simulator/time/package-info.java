/** Clocks for driving simulations in stepped (test) time. */
package io.headroom.simulator.time;
