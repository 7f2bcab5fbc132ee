/**
 * Serial transports: {@link io.headroom.agent.transport.serial.SerialBus}, the one owner of one RS-485 line, shared
 * by every device on it through {@code DriverContext.shared("serial:" + bus.id(), …)}.
 */
package io.headroom.agent.transport.serial;
