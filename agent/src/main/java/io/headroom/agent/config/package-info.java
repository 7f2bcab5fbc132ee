/** The agent's configuration: immutable records parsed and fully validated from {@code agent.yaml}. */
package io.headroom.agent.config;
