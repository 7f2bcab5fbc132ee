/**
 * The controller's own narrow MQTT 5 / 3.1.1 endpoint on Netty's {@code netty-codec-mqtt}: per-agent
 * credentials and topic ACL, keep-alive, Will as death, QoS 0 and 1, bounded frames, read-only
 * observers.
 */
package io.headroom.controller.mqtt;
