/**
 * The {@code braiins} driver: Braiins OS / OS+ through its "Public REST API" (v1.x, firmware 25.07 and later) over
 * HTTP with token login, for telemetry, an absolute power target, pause/resume as sleep/wake, locate and reboot.
 */
package io.headroom.agent.driver.braiins;
