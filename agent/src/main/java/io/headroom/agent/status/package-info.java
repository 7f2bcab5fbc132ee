/** The agent's own metrics and health over HTTP, for Prometheus and for a technician's curl. */
package io.headroom.agent.status;
