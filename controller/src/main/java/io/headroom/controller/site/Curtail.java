package io.headroom.controller.site;

/** How the control engine may curtail the devices of a priority class. */
public enum Curtail {
    /** Sleep, a lower power target or cap, or (when it stops answering, for a hard limit) its outlet. */
    ANY,
    /**
     * Only a lower power cap or target, down to the class's floor; never sleep, never off: AI work that
     * tolerates a slower step but not a stop.
     */
    CAP,
    /** Not at all: cooling and other auxiliary load, whose loss would cook the racks it serves. */
    NEVER
}
