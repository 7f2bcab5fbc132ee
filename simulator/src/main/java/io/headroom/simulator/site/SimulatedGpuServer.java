package io.headroom.simulator.site;

import io.headroom.simulator.gpu.GpuServerModel;
import io.headroom.simulator.gpu.GpuSnapshot;
import io.headroom.simulator.gpu.GpuSpec;
import io.headroom.simulator.gpu.SimulatedRedfishServer;
import io.headroom.simulator.gpu.dcgm.GpuSample;
import io.headroom.simulator.gpu.dcgm.SimulatedDcgmExporter;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * One simulated GPU server on a PDU outlet: its physical model ({@link GpuServerModel}), its BMC
 * ({@link SimulatedRedfishServer}, HTTPS with sessions) and its dcgm-exporter
 * ({@link SimulatedDcgmExporter}), both answering from the same model, so a cap set through Redfish
 * shows in the per-GPU power dcgm-exporter reports and in the outlet's draw.
 *
 * <p>With its outlet off it draws nothing and both APIs stop answering (their requests hang, as a
 * powered-down host's do), until its supply is back and the boot delay has passed.
 */
public final class SimulatedGpuServer implements OutletLoad, AutoCloseable {

    /** The NVIDIA product name dcgm-exporter puts in {@code modelName}. */
    private static final String GPU_MODEL = "NVIDIA H100 80GB HBM3";
    /** A request to a dark server waits this long: longer than any driver timeout. */
    private static final Duration DARK = Duration.ofHours(1);

    private final String name;
    private final GpuServerModel model;
    private final SimulatedRedfishServer bmc;
    private final SimulatedDcgmExporter dcgm;
    private final List<String> uuids;
    /** Guarded by this. */
    private boolean powered = true;

    private Instant upAt;
    private double energyAtCutMj;
    private double energyUnpoweredMj;

    private SimulatedGpuServer(
            String name,
            GpuServerModel model,
            SimulatedRedfishServer bmc,
            SimulatedDcgmExporter dcgm,
            List<String> uuids) {
        this.name = name;
        this.model = model;
        this.bmc = bmc;
        this.dcgm = dcgm;
        this.uuids = uuids;
    }

    /**
     * Starts an 8 × H100 server ({@link GpuSpec#hgxH100()}) at {@code demand} of full load, its BMC and
     * its exporter on free loopback ports.
     *
     * @param name its host name (dcgm-exporter's {@code Hostname} label)
     * @param username the BMC account
     * @param password its password
     */
    public static SimulatedGpuServer start(
            String name, long seed, double demand, double inletC, Clock clock, String username, String password)
            throws IOException {
        Objects.requireNonNull(name, "name");
        GpuServerModel model = new GpuServerModel(GpuSpec.hgxH100(), seed, demand, inletC, clock.instant());
        SplittableRandom random = new SplittableRandom(seed);
        List<String> uuids = new ArrayList<>();
        for (int g = 0; g < model.spec().gpus(); g++) {
            byte[] bytes = new byte[16];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) random.nextInt(256);
            }
            String hex = HexFormat.of().formatHex(bytes);
            uuids.add("GPU-" + hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                    + hex.substring(16, 20) + "-" + hex.substring(20));
        }
        SimulatedRedfishServer bmc = SimulatedRedfishServer.start(model, clock, "1U", username, password);
        SimulatedDcgmExporter dcgm;
        try {
            dcgm = new SimulatedDcgmExporter(samples(model, uuids), name);
        } catch (IOException | RuntimeException e) {
            bmc.close();
            throw e;
        }
        return new SimulatedGpuServer(name, model, bmc, dcgm, List.copyOf(uuids));
    }

    private static java.util.function.Supplier<List<GpuSample>> samples(GpuServerModel model, List<String> uuids) {
        return () -> {
            List<GpuSample> out = new ArrayList<>();
            for (GpuSnapshot gpu : model.gpus()) {
                out.add(new GpuSample(
                        gpu.index(),
                        uuids.get(gpu.index()),
                        GPU_MODEL,
                        gpu.powerWatts(),
                        gpu.energyMillijoules(),
                        gpu.temperatureC(),
                        // The model has no memory temperature: dcgm-exporter's blank value, as on GPUs without the
                        // sensor.
                        Double.NaN,
                        gpu.utilisationPercent(),
                        0,
                        0,
                        gpu.enforcedLimitWatts()));
            }
            return out;
        };
    }

    public String name() {
        return name;
    }

    public GpuServerModel model() {
        return model;
    }

    /** Its BMC: port, certificate (a client's CA file), sessions. */
    public SimulatedRedfishServer bmc() {
        return bmc;
    }

    /** Its dcgm-exporter. */
    public SimulatedDcgmExporter dcgm() {
        return dcgm;
    }

    /** The GPUs' UUIDs, by index. */
    public List<String> uuids() {
        return uuids;
    }

    @Override
    public synchronized double powerWatts() {
        return powered ? model.chassisPowerWatts() : 0;
    }

    @Override
    public synchronized double energyKwh() {
        return (totalEnergyMj() - energyUnpoweredMj - (powered ? 0 : totalEnergyMj() - energyAtCutMj)) / 3.6e9;
    }

    private double totalEnergyMj() {
        double sum = 0;
        for (GpuSnapshot gpu : model.gpus()) {
            sum += gpu.energyMillijoules();
        }
        return sum;
    }

    @Override
    public synchronized void cutPower(Instant now) {
        if (!powered) {
            return;
        }
        model.advanceTo(now);
        powered = false;
        upAt = null;
        energyAtCutMj = totalEnergyMj();
        bmc.setResponseDelay(DARK);
        dcgm.mode(SimulatedDcgmExporter.Mode.HANG);
    }

    @Override
    public synchronized void restorePower(Instant now, Duration bootDelay) {
        if (powered) {
            return;
        }
        model.advanceTo(now);
        energyUnpoweredMj += totalEnergyMj() - energyAtCutMj;
        powered = true;
        upAt = now.plus(bootDelay);
        advanceTo(now);
    }

    @Override
    public synchronized void advanceTo(Instant now) {
        model.advanceTo(now);
        if (upAt != null && !now.isBefore(upAt)) {
            upAt = null;
            bmc.setResponseDelay(Duration.ZERO);
            dcgm.mode(SimulatedDcgmExporter.Mode.NORMAL);
        }
    }

    @Override
    public void close() {
        dcgm.close();
        bmc.close();
    }

    @Override
    public String toString() {
        return "SimulatedGpuServer[" + name + " bmc :" + bmc.port() + " dcgm :" + dcgm.port() + "]";
    }
}
