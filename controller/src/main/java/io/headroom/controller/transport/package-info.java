/**
 * The seam between the controller's MQTT transports (its own embedded endpoint, later an external
 * broker client) and everything above them, which never knows which transport is in use.
 */
package io.headroom.controller.transport;
