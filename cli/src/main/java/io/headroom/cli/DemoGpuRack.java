package io.headroom.cli;

import io.headroom.simulator.gpu.SelfSignedCertificate;
import io.headroom.simulator.site.SimulatedGpuServer;
import io.headroom.simulator.site.SitePower;
import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * The demo's AI side: {@code --gpu-servers} simulated 8 × H100 servers (class {@code ai-contract}) on
 * the outlets of {@link #AI_RACK}, a rack with a PDU and a feed of its own, polled by the last agent
 * over Redfish (HTTPS, a session, the BMCs' certificate as CA file) and dcgm-exporter.
 */
final class DemoGpuRack {

    /** The rack of the GPU servers, on a feed of its own ({@link #AI_FEED}). */
    static final String AI_RACK = "rack-ai";

    static final String AI_FEED = "feed-ai";
    /** The BMC account of the simulated GPU servers; its password file and the BMCs' CA file are beside. */
    static final String BMC_USER = "headroom";

    static final String BMC_PASSWORD_FILE = "bmc.password";
    static final String BMC_CA_FILE = "bmc-ca.pem";
    /** Workload of the simulated GPU servers, of full load: training jobs near their power limit. */
    static final double GPU_DEMAND = 0.85;

    private DemoGpuRack() {}

    /**
     * Issues the simulated BMCs' certificate on a thread of its own: keytool takes a second or two,
     * which the rest of the demo's start then hides.
     */
    static void issueCertificateEarly() {
        Thread issuer = new Thread(
                () -> {
                    try {
                        SelfSignedCertificate.forThisJvm();
                    } catch (IOException | RuntimeException e) {
                        // The first BMC to start asks again and reports the failure.
                    }
                },
                "demo-bmc-certificate");
        issuer.setDaemon(true);
        issuer.start();
    }

    /**
     * Starts the GPU servers into {@code started} (so that whatever started is closed on a failure),
     * hangs each on its outlet of {@link #AI_RACK}, and writes the BMC password and CA files.
     */
    static void start(DemoOptions options, SitePower power, List<SimulatedGpuServer> started) throws IOException {
        String bmcPassword = DemoConfigFiles.randomSecret();
        DemoConfigFiles.writeSecret(options.workDir().resolve(BMC_PASSWORD_FILE), bmcPassword + "\n");
        for (int g = 0; g < options.gpuServers(); g++) {
            SimulatedGpuServer gpu = SimulatedGpuServer.start(
                    gpuName(g),
                    options.seed() * 31 + g,
                    GPU_DEMAND,
                    power.site().spec().inletTempC(),
                    power.site().clock(),
                    BMC_USER,
                    bmcPassword);
            started.add(gpu);
            power.attach(AI_RACK, g + 1, gpu);
        }
        // Every simulated BMC of this JVM shows the same self-signed certificate: the agents' CA file.
        DemoConfigFiles.write(
                options.workDir().resolve(BMC_CA_FILE), started.get(0).bmc().certificatePem());
    }

    /** Host name and Redfish device id of the g-th GPU server (0-based): {@code gpu-01}. */
    static String gpuName(int index) {
        return String.format(Locale.ROOT, "gpu-%02d", index + 1);
    }

    /** Device id of the dcgm-exporter of the g-th GPU server: {@code gpu-01-gpus}, its GPUs one by one. */
    static String gpuDcgmId(int index) {
        return gpuName(index) + "-gpus";
    }
}
