/**
 * The {@code antminer-web} driver: stock Bitmain Antminer firmware through its web UI's CGI API over HTTP
 * with Digest authentication (RFC 7616), for telemetry, sleep/wake, locate and reboot.
 */
package io.headroom.agent.driver.antminer;
