/** The rack agent: {@link io.headroom.agent.Agent} wires config, drivers, scheduler, publisher and commands. */
package io.headroom.agent;
