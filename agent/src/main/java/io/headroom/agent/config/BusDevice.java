package io.headroom.agent.config;

/**
 * A driver's device settings that name a serial bus: the loader checks the bus is declared under
 * {@code buses:}, and the driver's lane is the bus.
 */
public interface BusDevice {

    /** The id of the bus under {@code buses:}; empty when this device is reached another way (TCP). */
    String bus();
}
