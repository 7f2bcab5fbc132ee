/** The Modbus driver: meters and sensors over RTU (serial bus), Modbus TCP and RTU over TCP. */
package io.headroom.agent.driver.modbus;
