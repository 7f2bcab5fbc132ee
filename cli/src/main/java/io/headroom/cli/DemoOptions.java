package io.headroom.cli;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What {@link DemoSite} starts: how many miners, agents and GPU servers, where, how tight the limits, how fast.
 *
 * @param workDir folder for the generated files; created if missing
 * @param pollInterval how often each agent polls each miner
 * @param limitFactor every limit of the site model (site, feeds, PDU breakers, cooling) times this; 1 is the
 *     documented demo, below 1 a site too tight for its miners, so that the control engine sheds (tests)
 * @param gpuServers simulated 8 × H100 servers (class {@code ai-contract}) in a rack of their own on a feed
 *     of its own, polled by the last agent over Redfish and dcgm-exporter; 0 for none
 * @param pace how fast miners boot and the engine restores on the wall clock: {@link DemoPace#REAL} for the demo
 * @param mixedFleet one miner of each other firmware family (Antminer stock, Whatsminer, Braiins OS, Avalon)
 *     in a rack of their own ({@link DemoMixedRack}), polled by the last agent
 */
record DemoOptions(
        String site,
        int miners,
        int agents,
        String bind,
        int httpPort,
        int mqttPort,
        long seed,
        Duration pollInterval,
        Path workDir,
        double limitFactor,
        int gpuServers,
        DemoPace pace,
        boolean mixedFleet) {
    DemoOptions {
        java.util.Objects.requireNonNull(pace, "pace");
        if (gpuServers < 0 || gpuServers > DemoSite.PDU_OUTLETS) {
            throw new IllegalArgumentException(
                    "--gpu-servers: must be between 0 and " + DemoSite.PDU_OUTLETS + " (one rack), was " + gpuServers);
        }
        if (!(limitFactor > 0 && limitFactor <= 10)) {
            throw new IllegalArgumentException("limitFactor: must be above 0 and at most 10, was " + limitFactor);
        }
        if (miners < 1) {
            throw new IllegalArgumentException("--miners: must be at least 1");
        }
        if (agents < 1 || agents > miners) {
            throw new IllegalArgumentException("--agents: must be between 1 and the number of miners (" + miners + ")");
        }
    }

    /** The documented demo's limits ({@code limitFactor} 1). */
    DemoOptions(
            String site,
            int miners,
            int agents,
            String bind,
            int httpPort,
            int mqttPort,
            long seed,
            Duration pollInterval,
            Path workDir) {
        this(site, miners, agents, bind, httpPort, mqttPort, seed, pollInterval, workDir, 1.0, 0, DemoPace.REAL, false);
    }

    /** The given limits, no GPU servers. */
    DemoOptions(
            String site,
            int miners,
            int agents,
            String bind,
            int httpPort,
            int mqttPort,
            long seed,
            Duration pollInterval,
            Path workDir,
            double limitFactor) {
        this(
                site,
                miners,
                agents,
                bind,
                httpPort,
                mqttPort,
                seed,
                pollInterval,
                workDir,
                limitFactor,
                0,
                DemoPace.REAL,
                false);
    }

    /** These options with {@code count} GPU servers. */
    DemoOptions withGpuServers(int count) {
        return new DemoOptions(
                site,
                miners,
                agents,
                bind,
                httpPort,
                mqttPort,
                seed,
                pollInterval,
                workDir,
                limitFactor,
                count,
                pace,
                mixedFleet);
    }

    /** These options at the given pace. */
    DemoOptions withPace(DemoPace newPace) {
        return new DemoOptions(
                site,
                miners,
                agents,
                bind,
                httpPort,
                mqttPort,
                seed,
                pollInterval,
                workDir,
                limitFactor,
                gpuServers,
                newPace,
                mixedFleet);
    }

    /** These options with or without the {@link DemoMixedRack mixed fleet}. */
    DemoOptions withMixedFleet(boolean on) {
        return new DemoOptions(
                site,
                miners,
                agents,
                bind,
                httpPort,
                mqttPort,
                seed,
                pollInterval,
                workDir,
                limitFactor,
                gpuServers,
                pace,
                on);
    }
}
