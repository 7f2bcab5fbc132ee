/** Firmware profiles: what is data about a device family (commands, field paths, controls), loaded from the firmware-profiles module. */
package io.headroom.agent.profile;
