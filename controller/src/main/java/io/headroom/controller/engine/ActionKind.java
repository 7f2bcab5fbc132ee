package io.headroom.controller.engine;

import java.util.Locale;

/** What the engine does to a device; each maps to one command verb. */
public enum ActionKind {
    /** Lower (or, when restoring, raise back) the device's power target: the soft action. */
    SET_POWER_TARGET,
    /** Put the device to sleep: it draws its idle power. */
    SLEEP,
    /** Wake a device the engine put to sleep. */
    WAKE,
    /** Cut the device's PDU outlet: only for a device that does not respond while a hard limit is exceeded. */
    OUTLET_OFF,
    /** Switch the outlet of a device the engine cut back on. */
    OUTLET_ON;

    private final String wireName = name().toLowerCase(Locale.ROOT).replace('_', '-');

    /** The API's spelling, also the command verb's: {@code set-power-target}, {@code outlet-off}, … */
    public String wireName() {
        return wireName;
    }
}
