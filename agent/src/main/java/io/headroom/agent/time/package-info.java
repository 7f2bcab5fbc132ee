/**
 * Time as the agent's components see it: a monotonic clock and a timer, injected so that tests step
 * time instead of waiting for it.
 */
package io.headroom.agent.time;
