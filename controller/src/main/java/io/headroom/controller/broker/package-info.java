/**
 * External broker mode ({@code mqtt.mode: external}, docs/external-broker.md): the controller as a
 * Paho MQTT 5 client of Mosquitto, EMQX or HiveMQ, behind the same transport seam as the embedded
 * endpoint. Liveness comes from Birth and Death, since a broker tells its clients of no one else's
 * connection; authorisation is the broker's, from the ACL {@link io.headroom.controller.broker.MosquittoAcl}
 * writes from Headroom's credentials.
 */
@org.jspecify.annotations.NullMarked
package io.headroom.controller.broker;
