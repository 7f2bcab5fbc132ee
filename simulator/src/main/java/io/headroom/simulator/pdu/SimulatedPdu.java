package io.headroom.simulator.pdu;

import io.headroom.simulator.site.RackSpec;
import io.headroom.simulator.site.SitePower;
import io.headroom.simulator.snmp.SnmpEndpoint;
import io.headroom.simulator.snmp.SnmpObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.TimeTicks;

/**
 * A simulated APC Switched Rack PDU of the rPDU2 generation (an AP8641 by its names) feeding one rack
 * of a {@link SitePower}, answering SNMP v1/v2c on loopback with the objects the {@code apc/rpdu2}
 * profile reads (reference/TELEMETRY.md §3.1): sysDescr and sysObjectID, device power, energy and load
 * state, phase 1 current, voltage and power, and per outlet its name, number, state, current, power and
 * energy. Row index equals outlet number (one PDU, no daisy chain).
 *
 * <p>{@code rPDU2OutletSwitchedControlCommand} (write community) switches the rack's outlet in the site
 * model: immediateOn 1, immediateOff 2, immediateReboot 3. The delayed commands (5–7), cancel (8) and
 * outletUnknown (4) are answered {@code wrongValue}: not simulated. A GET of the command returns the
 * outlet state (1 off, 2 on), as the MIB says.
 *
 * <p>Values are the site model's as of its latest tick; this class keeps no power state of its own.
 */
public final class SimulatedPdu implements AutoCloseable {
    private final String rackId;
    private final SnmpEndpoint endpoint;

    private SimulatedPdu(String rackId, SnmpEndpoint endpoint) {
        this.rackId = rackId;
        this.endpoint = endpoint;
    }

    /**
     * Starts the PDU of rack {@code rackId}.
     *
     * @throws IOException when its port cannot be bound
     */
    public static SimulatedPdu start(SitePower power, String rackId, PduSpec spec) throws IOException {
        Objects.requireNonNull(power, "power");
        Objects.requireNonNull(spec, "spec");
        RackSpec rack = power.rack(rackId);
        Instant bootedAt = power.site().clock().instant();
        List<SnmpObject> objects = new ArrayList<>();
        String serial = String.format(Locale.ROOT, "5A%010d", Math.floorMod(rackId.hashCode(), 1_000_000_000));
        objects.add(SnmpObject.readOnly(
                Rpdu2.SYS_DESCR,
                constant(new OctetString("APC Web/SNMP Management Card (MB:v4.1.0 PF:v6.7.2 PN:apc_hw05_aos_672.bin"
                        + " AF1:v6.7.2 AN1:apc_hw05_rpdu2g_672.bin MN:AP8641 HR:02 SN: " + serial
                        + " MD:06/15/2021)"))));
        objects.add(SnmpObject.readOnly(Rpdu2.SYS_OBJECT_ID, constant(new OID(Rpdu2.APC_RACK_PDU_OBJECT_ID))));
        objects.add(SnmpObject.readOnly(Rpdu2.SYS_UP_TIME, () -> {
            long centis =
                    Duration.between(bootedAt, power.site().clock().instant()).toMillis() / 10;
            return new TimeTicks(Math.max(0, centis) & 0xFFFFFFFFL);
        }));
        objects.add(SnmpObject.readOnly(Rpdu2.SYS_NAME, constant(new OctetString("pdu-" + rackId))));
        objects.add(SnmpObject.readOnly(Rpdu2.IDENT_NAME + ".1", constant(new OctetString("pdu-" + rackId))));
        objects.add(SnmpObject.readOnly(Rpdu2.IDENT_MODEL_NUMBER + ".1", constant(new OctetString("AP8641"))));

        objects.add(SnmpObject.readOnly(
                Rpdu2.DEVICE_POWER + ".1", () -> new Integer32(hundredthsOfKw(power.rackWatts(rackId)))));
        objects.add(SnmpObject.readOnly(
                Rpdu2.DEVICE_APPARENT_POWER + ".1",
                () -> new Integer32(hundredthsOfKw(power.rackWatts(rackId) / SitePower.POWER_FACTOR))));
        objects.add(SnmpObject.readOnly(
                Rpdu2.DEVICE_ENERGY + ".1", () -> new Integer32(tenths(power.rackEnergyKwh(rackId)))));
        objects.add(SnmpObject.readOnly(
                Rpdu2.DEVICE_LOAD_STATE + ".1",
                () -> new Integer32(loadState(SitePower.amps(power.rackWatts(rackId)), spec.ratedAmps()))));

        objects.add(SnmpObject.readOnly(
                Rpdu2.PHASE_CURRENT + ".1", () -> new Integer32(tenths(SitePower.amps(power.rackWatts(rackId))))));
        objects.add(SnmpObject.readOnly(
                Rpdu2.PHASE_VOLTAGE + ".1", constant(new Integer32((int) Math.round(SitePower.NOMINAL_VOLTS)))));
        objects.add(SnmpObject.readOnly(
                Rpdu2.PHASE_POWER + ".1", () -> new Integer32(hundredthsOfKw(power.rackWatts(rackId)))));

        for (int outlet = 1; outlet <= rack.outlets(); outlet++) {
            int n = outlet;
            String row = "." + n;
            OctetString name = new OctetString(
                    power.fedBy(rackId, n).map(m -> m.identity().hostname()).orElse("Outlet " + n));
            objects.add(SnmpObject.readOnly(Rpdu2.SWITCHED_STATUS_NAME + row, constant(name)));
            objects.add(SnmpObject.readOnly(Rpdu2.SWITCHED_STATUS_NUMBER + row, constant(new Integer32(n))));
            objects.add(SnmpObject.readOnly(Rpdu2.SWITCHED_STATUS_STATE + row, () -> state(power, rackId, n)));
            objects.add(SnmpObject.readWrite(
                    Rpdu2.SWITCHED_CONTROL_COMMAND + row,
                    () -> state(power, rackId, n),
                    new OutletControl(power, rackId, n)));
            objects.add(SnmpObject.readOnly(Rpdu2.METERED_STATUS_NAME + row, constant(name)));
            objects.add(SnmpObject.readOnly(Rpdu2.METERED_STATUS_NUMBER + row, constant(new Integer32(n))));
            objects.add(SnmpObject.readOnly(
                    Rpdu2.METERED_STATUS_CURRENT + row, () -> new Integer32(tenths(power.outletAmps(rackId, n)))));
            objects.add(SnmpObject.readOnly(
                    Rpdu2.METERED_STATUS_POWER + row,
                    () -> new Integer32((int) Math.round(power.outletWatts(rackId, n)))));
            objects.add(SnmpObject.readOnly(
                    Rpdu2.METERED_STATUS_ENERGY + row, () -> new Integer32(tenths(power.outletEnergyKwh(rackId, n)))));
        }
        SnmpEndpoint endpoint = SnmpEndpoint.start(spec.bind(), spec.readCommunity(), spec.writeCommunity(), objects);
        return new SimulatedPdu(rackId, endpoint);
    }

    public String rackId() {
        return rackId;
    }

    /** Where it answers SNMP (UDP). */
    public InetSocketAddress address() {
        return endpoint.address();
    }

    public int port() {
        return endpoint.port();
    }

    /** The SNMP agent, for its counters (datagrams received, dropped). */
    public SnmpEndpoint endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        endpoint.close();
    }

    @Override
    public String toString() {
        return "SimulatedPdu[" + rackId + " @" + address() + "]";
    }

    private static Integer32 state(SitePower power, String rackId, int outlet) {
        return new Integer32(power.outletOn(rackId, outlet) ? Rpdu2.STATE_ON : Rpdu2.STATE_OFF);
    }

    private static int loadState(double amps, double ratedAmps) {
        if (amps > ratedAmps) {
            return Rpdu2.LOAD_OVERLOAD;
        }
        return amps > 0.8 * ratedAmps ? Rpdu2.LOAD_NEAR_OVERLOAD : Rpdu2.LOAD_NORMAL;
    }

    private static int hundredthsOfKw(double watts) {
        return (int) Math.round(watts / 10);
    }

    private static int tenths(double value) {
        return (int) Math.round(value * 10);
    }

    private static <T> java.util.function.Supplier<T> constant(T value) {
        return () -> value;
    }

    /** rPDU2OutletSwitchedControlCommand of one outlet, acting on the site model. */
    private record OutletControl(SitePower power, String rackId, int outlet) implements SnmpObject.Writer {
        @Override
        public int check(int value) {
            return value == Rpdu2.IMMEDIATE_ON || value == Rpdu2.IMMEDIATE_OFF || value == Rpdu2.IMMEDIATE_REBOOT
                    ? SnmpConstants.SNMP_ERROR_SUCCESS
                    : SnmpConstants.SNMP_ERROR_WRONG_VALUE;
        }

        @Override
        public void apply(int value) {
            switch (value) {
                case Rpdu2.IMMEDIATE_ON -> power.switchOutlet(rackId, outlet, true);
                case Rpdu2.IMMEDIATE_OFF -> power.switchOutlet(rackId, outlet, false);
                case Rpdu2.IMMEDIATE_REBOOT -> power.rebootOutlet(rackId, outlet);
                default -> throw new IllegalArgumentException("outlet command " + value + " was not checked");
            }
        }
    }
}
