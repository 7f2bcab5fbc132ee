package io.headroom.simulator.pdu;

/**
 * The PowerNet-MIB rPDU2 objects a {@link SimulatedPdu} serves (reference/TELEMETRY.md §3.1), and the values
 * of its outlet control command. Append {@code .row} to a column.
 */
final class Rpdu2 {
    static final String SYS_DESCR = "1.3.6.1.2.1.1.1.0";
    static final String SYS_OBJECT_ID = "1.3.6.1.2.1.1.2.0";
    static final String SYS_UP_TIME = "1.3.6.1.2.1.1.3.0";
    static final String SYS_NAME = "1.3.6.1.2.1.1.5.0";

    /** APC's product branch; rack PDUs are below it (the profile's match rule). */
    static final String APC_RACK_PDU_OBJECT_ID = "1.3.6.1.4.1.318.1.3.4.6";

    private static final String RPDU2 = "1.3.6.1.4.1.318.1.1.26";
    static final String IDENT_NAME = RPDU2 + ".2.1.3";
    static final String IDENT_MODEL_NUMBER = RPDU2 + ".2.1.8";
    static final String DEVICE_LOAD_STATE = RPDU2 + ".4.3.1.4";
    static final String DEVICE_POWER = RPDU2 + ".4.3.1.5";
    static final String DEVICE_ENERGY = RPDU2 + ".4.3.1.9";
    static final String DEVICE_APPARENT_POWER = RPDU2 + ".4.3.1.16";
    static final String PHASE_CURRENT = RPDU2 + ".6.3.1.5";
    static final String PHASE_VOLTAGE = RPDU2 + ".6.3.1.6";
    static final String PHASE_POWER = RPDU2 + ".6.3.1.7";
    static final String SWITCHED_STATUS_NAME = RPDU2 + ".9.2.3.1.3";
    static final String SWITCHED_STATUS_NUMBER = RPDU2 + ".9.2.3.1.4";
    static final String SWITCHED_STATUS_STATE = RPDU2 + ".9.2.3.1.5";
    static final String SWITCHED_CONTROL_COMMAND = RPDU2 + ".9.2.4.1.5";
    static final String METERED_STATUS_NAME = RPDU2 + ".9.4.3.1.3";
    static final String METERED_STATUS_NUMBER = RPDU2 + ".9.4.3.1.4";
    static final String METERED_STATUS_CURRENT = RPDU2 + ".9.4.3.1.6";
    static final String METERED_STATUS_POWER = RPDU2 + ".9.4.3.1.7";
    static final String METERED_STATUS_ENERGY = RPDU2 + ".9.4.3.1.11";

    /** rPDU2OutletSwitchedStatusState. */
    static final int STATE_OFF = 1;

    static final int STATE_ON = 2;

    /** rPDU2OutletSwitchedControlCommand. */
    static final int IMMEDIATE_ON = 1;

    static final int IMMEDIATE_OFF = 2;
    static final int IMMEDIATE_REBOOT = 3;

    /** rPDU2DeviceStatusLoadState. */
    static final int LOAD_NORMAL = 2;

    static final int LOAD_NEAR_OVERLOAD = 3;
    static final int LOAD_OVERLOAD = 4;

    private Rpdu2() {}
}
