/**
 * Poll scheduling on lanes: one deadline per device, one request at a time per transport, so a hung
 * lane never delays another.
 */
package io.headroom.agent.schedule;
