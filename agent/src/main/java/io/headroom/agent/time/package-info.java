/** Time as the agent's components see it: a monotonic clock and a timer, injected so tests step time instead of waiting. */
package io.headroom.agent.time;
