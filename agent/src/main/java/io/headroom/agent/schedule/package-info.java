/** Per-device poll scheduling: one deadline and one serial lane per device, so a hung device never delays another. */
package io.headroom.agent.schedule;
