/** Modbus framing: PDUs, CRC-16, RTU on a serial bus, Modbus TCP (MBAP) and RTU over TCP. */
package io.headroom.agent.transport.modbus;
