/**
 * Simulated Redfish power and thermal equipment in the shapes of DMTF's mockups: a rack PDU
 * ({@link io.headroom.simulator.redfish.SimulatedRedfishPdu}, outlets that really switch) and a
 * coolant distribution unit ({@link io.headroom.simulator.redfish.SimulatedRedfishCdu}, temperatures
 * that follow a heat load, leaks that can be injected), each served by
 * {@link io.headroom.simulator.gpu.SimulatedRedfishServer} over HTTPS with its sessions and quirks.
 */
package io.headroom.simulator.redfish;
