/** TLS for the agent's MQTT link from PEM files, with the JDK only, and plain words for failed handshakes. */
package io.headroom.agent.tls;
