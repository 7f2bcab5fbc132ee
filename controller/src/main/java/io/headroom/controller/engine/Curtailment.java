package io.headroom.controller.engine;

import java.util.Locale;

/** How far the engine has curtailed a device. */
public enum Curtailment {
    /** Running as its owner set it. */
    NONE,
    /** Running at a lowered power target. */
    CAPPED,
    /** Asleep. */
    ASLEEP,
    /** Its PDU outlet is off. */
    OUTLET_OFF;

    private final String wireName = name().toLowerCase(Locale.ROOT).replace('_', '-');

    public String wireName() {
        return wireName;
    }
}
