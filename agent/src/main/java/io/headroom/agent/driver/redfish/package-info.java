/**
 * The Redfish driver: GPU and AI servers' BMCs over HTTPS (DMTF Redfish), read through
 * {@code EnvironmentMetrics}, {@code PowerSubsystem}, {@code Sensors} or the legacy {@code Power} /
 * {@code Thermal} resources as the profile's {@code points:} say, and capped with
 * {@code set-power-cap} through {@code Controls/PowerLimit} or the legacy {@code PowerLimit}.
 */
package io.headroom.agent.driver.redfish;
