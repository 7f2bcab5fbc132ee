package io.headroom.simulator.ups;

import io.headroom.simulator.site.SitePower;
import io.headroom.simulator.snmp.SnmpEndpoint;
import io.headroom.simulator.snmp.SnmpObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;

/**
 * A simulated three-phase UPS answering the standard UPS-MIB (RFC 1628, 1.3.6.1.2.1.33) over SNMP
 * v1/v2c on loopback, from a {@link UpsModel}: identity, battery status, charge, minutes remaining and
 * seconds on battery, the input table (per line frequency, voltage, current, true power), the output
 * source, frequency and output table (per line voltage, current, power, percent load). The load is
 * taken as spread evenly over the three lines. Read-only: it accepts no SET.
 */
public final class SimulatedUps implements AutoCloseable {
    private static final String UPS_MIB = "1.3.6.1.2.1.33";
    private static final String IDENT = UPS_MIB + ".1.1";
    private static final String BATTERY = UPS_MIB + ".1.2";
    private static final String INPUT = UPS_MIB + ".1.3";
    private static final String OUTPUT = UPS_MIB + ".1.4";
    private static final int LINES = 3;
    private static final double NOMINAL_HZ = 50.0;

    private final SnmpEndpoint endpoint;
    private final UpsModel model;

    private SimulatedUps(SnmpEndpoint endpoint, UpsModel model) {
        this.endpoint = endpoint;
        this.model = model;
    }

    /** A UPS carrying one feed of the site, rated {@code ratedWatts}, with {@code batteryWh} of battery. */
    public static UpsModel onFeed(SitePower power, String feedId, double ratedWatts, double batteryWh) {
        power.feed(feedId);
        return new UpsModel(() -> power.feedWatts(feedId), power.site().clock(), ratedWatts, batteryWh);
    }

    /**
     * Serves {@code model} on {@code bind} (port 0 for a free one).
     *
     * @throws IOException when the port cannot be bound
     */
    public static SimulatedUps start(UpsModel model, InetSocketAddress bind, String readCommunity) throws IOException {
        Objects.requireNonNull(model, "model");
        List<SnmpObject> objects = new ArrayList<>();
        objects.add(SnmpObject.readOnly(
                "1.3.6.1.2.1.1.1.0", () -> new OctetString("Headroom simulated UPS (UPS-MIB, RFC 1628)")));
        objects.add(SnmpObject.readOnly("1.3.6.1.2.1.1.2.0", () -> new OID(UPS_MIB)));
        objects.add(SnmpObject.readOnly(IDENT + ".1.0", () -> new OctetString("Headroom")));
        objects.add(SnmpObject.readOnly(
                IDENT + ".2.0", () -> new OctetString("SIM-UPS-" + (int) (model.ratedWatts() / 1000) + "K")));
        // upsBatteryStatus: normal 2, low 3, depleted 4.
        objects.add(SnmpObject.readOnly(BATTERY + ".1.0", () -> {
            double charge = model.chargePercent();
            return new Integer32(charge <= 0 ? 4 : charge < UpsModel.LOW_PERCENT ? 3 : 2);
        }));
        objects.add(SnmpObject.readOnly(BATTERY + ".2.0", () -> new Integer32((int) model.secondsOnBattery())));
        objects.add(
                SnmpObject.readOnly(BATTERY + ".3.0", () -> new Integer32((int) Math.floor(model.minutesRemaining()))));
        objects.add(
                SnmpObject.readOnly(BATTERY + ".4.0", () -> new Integer32((int) Math.round(model.chargePercent()))));
        objects.add(SnmpObject.readOnly(INPUT + ".2.0", () -> new Integer32(LINES)));
        objects.add(SnmpObject.readOnly(
                OUTPUT + ".1.0", () -> new Integer32(model.outputSource().code())));
        objects.add(SnmpObject.readOnly(OUTPUT + ".2.0", () -> new Integer32((int) Math.round(NOMINAL_HZ * 10))));
        objects.add(SnmpObject.readOnly(OUTPUT + ".3.0", () -> new Integer32(LINES)));
        for (int line = 1; line <= LINES; line++) {
            String row = "." + line;
            objects.add(SnmpObject.readOnly(INPUT + ".3.1.1" + row, constant(line)));
            objects.add(SnmpObject.readOnly(
                    INPUT + ".3.1.2" + row,
                    () -> new Integer32(model.mains() ? (int) Math.round(NOMINAL_HZ * 10) : 0)));
            objects.add(SnmpObject.readOnly(
                    INPUT + ".3.1.3" + row, () -> new Integer32(model.mains() ? (int) SitePower.NOMINAL_VOLTS : 0)));
            objects.add(SnmpObject.readOnly(
                    INPUT + ".3.1.4" + row,
                    () -> new Integer32(model.mains() ? tenths(SitePower.amps(model.loadWatts() / LINES)) : 0)));
            objects.add(SnmpObject.readOnly(
                    INPUT + ".3.1.5" + row,
                    () -> new Integer32(model.mains() ? (int) Math.round(model.loadWatts() / LINES) : 0)));
            objects.add(SnmpObject.readOnly(OUTPUT + ".4.1.1" + row, constant(line)));
            objects.add(SnmpObject.readOnly(
                    OUTPUT + ".4.1.2" + row,
                    () -> new Integer32(
                            model.outputSource() == UpsModel.OutputSource.NONE ? 0 : (int) SitePower.NOMINAL_VOLTS)));
            objects.add(SnmpObject.readOnly(
                    OUTPUT + ".4.1.3" + row, () -> new Integer32(tenths(SitePower.amps(model.loadWatts() / LINES)))));
            objects.add(SnmpObject.readOnly(
                    OUTPUT + ".4.1.4" + row, () -> new Integer32((int) Math.round(model.loadWatts() / LINES))));
            objects.add(SnmpObject.readOnly(
                    OUTPUT + ".4.1.5" + row, () -> new Integer32((int) Math.round(model.percentLoad()))));
        }
        // Read-only: the write community is one nobody is given.
        String noWrites = readCommunity + "-no-writes-" + Long.toHexString(System.nanoTime());
        return new SimulatedUps(SnmpEndpoint.start(bind, readCommunity, noWrites, objects), model);
    }

    public UpsModel model() {
        return model;
    }

    public InetSocketAddress address() {
        return endpoint.address();
    }

    public int port() {
        return endpoint.port();
    }

    public SnmpEndpoint endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        endpoint.close();
    }

    private static java.util.function.Supplier<Integer32> constant(int value) {
        Integer32 fixed = new Integer32(value);
        return () -> fixed;
    }

    private static int tenths(double value) {
        return (int) Math.round(value * 10);
    }
}
