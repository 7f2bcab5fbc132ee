package io.headroom.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code headroom demo}: a simulated site, end to end, with the web UI live. */
@Command(
        name = "demo",
        description = {
            "Runs a simulated site end to end, with the web UI live.",
            "A controller with its own MQTT endpoint, agents, and simulated miners (Antminer S19 XP on",
            "LuxOS) answering the real CGMiner RPC on loopback, a simulated APC rack PDU (SNMP) per rack",
            "feeding them, a simulated SDM630 meter (Modbus TCP) per feed, and a rack of simulated GPU",
            "servers (Redfish over HTTPS, dcgm-exporter) whose load must run. Runs until Ctrl-C."
        })
final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--miners", defaultValue = "40", description = "Simulated miners (default: ${DEFAULT-VALUE}).")
    int miners;

    @Option(
            names = "--agents",
            defaultValue = "2",
            description = "Agents sharing the miners (default: ${DEFAULT-VALUE}).")
    int agents;

    @Option(
            names = "--gpu-servers",
            defaultValue = "4",
            description = "Simulated 8 x H100 GPU servers (ai-contract) in a rack of their own, 0 for none"
                    + " (default: ${DEFAULT-VALUE}).")
    int gpuServers;

    @Option(
            names = "--mixed-fleet",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description = "One miner of each other firmware family (Antminer stock, Whatsminer, Braiins OS, Avalon)"
                    + " in a rack of their own beside the LuxOS racks; --no-mixed-fleet for LuxOS only"
                    + " (default: ${DEFAULT-VALUE}).")
    boolean mixedFleet;

    @Option(
            names = "--http-port",
            defaultValue = "8080",
            description = "Web UI / API port, 0 for any free one (default: ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(
            names = "--mqtt-port",
            defaultValue = "1883",
            description = "MQTT endpoint port, 0 for any free one (default: ${DEFAULT-VALUE}).")
    int mqttPort;

    @Option(
            names = "--bind",
            defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--site", defaultValue = "demo", description = "Site id (default: ${DEFAULT-VALUE}).")
    String site;

    @Option(names = "--seed", defaultValue = "42", description = "Simulator seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--poll-interval",
            defaultValue = "2",
            description = "Seconds between polls of one miner (default: ${DEFAULT-VALUE}).")
    int pollSeconds;

    @Option(
            names = "--work-dir",
            description =
                    "Where the generated configs and passwords go (default: a new temporary folder, deleted on exit).")
    Path workDir;

    @Option(
            names = "--price-spike",
            paramLabel = "USD/MWh",
            description = "Raise the demo's energy price to this from 2 minutes after the start for 10 minutes;"
                    + " above the miners' break-even (about 107 USD/MWh) they are struck (put to sleep) after 3"
                    + " minutes and resumed 3 minutes after it (docs/market.md). Default: calm prices, nothing struck.")
    Double priceSpike;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean temporary = workDir == null;
        Path dir = temporary ? Files.createTempDirectory("headroom-demo-") : workDir;
        DemoSite demo;
        try {
            demo = DemoSite.start(
                    new DemoOptions(
                                    site,
                                    miners,
                                    agents,
                                    bind,
                                    httpPort,
                                    mqttPort,
                                    seed,
                                    Duration.ofSeconds(pollSeconds),
                                    dir)
                            .withGpuServers(gpuServers)
                            .withMixedFleet(mixedFleet),
                    priceSpike == null ? DemoMarket.calm() : DemoMarket.withSpike(priceSpike));
        } catch (IllegalArgumentException e) {
            err.println("headroom: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            // The message names the address that could not be bound.
            err.println("headroom demo: cannot start: " + e.getMessage());
            err.println("  (another demo or service may hold the port: choose others with --http-port/--mqtt-port,"
                    + " or 0 for any free port)");
            return StartupFailure.EXIT_CODE;
        }
        String mqtt = Addresses.mqtt(demo.controller().mqttAddress());
        out.println("Headroom demo site '" + site + "' is running: " + miners + " simulated LuxOS miners, "
                + (mixedFleet ? "4 miners of other firmware (" + DemoMixedRack.RACK + "), " : "")
                + (gpuServers > 0 ? gpuServers + " simulated GPU servers (ai-contract), " : "") + agents + " agents.");
        out.println("  Web UI and API   " + Addresses.http(demo.controller().httpAddress()));
        out.println("  Devices (JSON)   " + Addresses.http(demo.controller().httpAddress()) + "api/v1/devices");
        out.println("  MQTT endpoint    " + mqtt);
        out.println("  Agent metrics    "
                + demo.agents().stream()
                        .map(agent -> Addresses.http(agent.statusAddress()) + "metrics")
                        .collect(java.util.stream.Collectors.joining(" "))
                + "  (and /health)");
        out.println("  Live traffic     ./headroom tail --url " + mqtt + " --site " + site + " --username "
                + DemoSite.OBSERVER + " --password-file " + demo.observerPasswordFile());
        out.println("  Sign in          user " + DemoSite.OPERATOR + ", password in "
                + demo.apiPasswordFile(DemoSite.OPERATOR) + " (read-only: user " + DemoSite.VIEWER + ", password in "
                + demo.apiPasswordFile(DemoSite.VIEWER) + ")");
        out.println("  Sleep a miner    curl -s -u \"" + DemoSite.OPERATOR + ":$(cat "
                + demo.apiPasswordFile(DemoSite.OPERATOR)
                + ")\" -X POST -H 'Content-Type: application/json' -d '{\"verb\":\"sleep\"}' "
                + Addresses.http(demo.controller().httpAddress()) + "api/v1/devices/" + DemoSite.minerId(0)
                + "/commands");
        out.println("  Grid event       curl -s -u \"" + DemoSite.OPERATOR + ":$(cat "
                + demo.apiPasswordFile(DemoSite.OPERATOR)
                + ")\" -X POST -H 'Content-Type: application/json' -d '{\"reduce_percent\":40,\"end\":\"<ISO time>\","
                + "\"ramp_seconds\":60}' " + Addresses.http(demo.controller().httpAddress())
                + "api/v1/grid-events  (or the web page's Grid event form; the engine sheds, the meters prove it)");
        for (io.headroom.simulator.pdu.SimulatedPdu pdu : demo.pdus()) {
            out.println("  PDU (SNMP v2c)   " + DemoSite.pduId(pdu.rackId()) + "  udp://"
                    + pdu.address().getAddress().getHostAddress() + ":" + pdu.port() + "  (" + pdu.rackId()
                    + "; communities " + DemoSite.PDU_READ_COMMUNITY + " / " + DemoSite.PDU_WRITE_COMMUNITY + ")");
        }
        for (io.headroom.simulator.meter.SimulatedMeter meter : demo.meters()) {
            out.println("  Meter (SDM630)   " + DemoSite.meterId(meter.id()) + "  modbus-tcp://"
                    + meter.address().getAddress().getHostAddress() + ":" + meter.port() + " unit "
                    + meter.unitId() + "  (" + meter.id() + ", racks "
                    + String.join(", ", demo.power().feed(meter.id()).racks()) + ")");
        }
        for (int g = 0; g < demo.gpuServers().size(); g++) {
            io.headroom.simulator.site.SimulatedGpuServer gpu =
                    demo.gpuServers().get(g);
            out.println("  GPU server       " + DemoGpuRack.gpuName(g) + "  Redfish https://127.0.0.1:"
                    + gpu.bmc().port() + "/redfish/v1, dcgm-exporter "
                    + gpu.dcgm().uri() + "  ("
                    + DemoGpuRack.AI_RACK + ", outlet " + (g + 1) + ")");
        }
        DemoMixedRack mixed = demo.mixedRack();
        if (mixed != null) {
            for (DemoMixedRack.Family family : DemoMixedRack.Family.values()) {
                out.println(String.format(
                        java.util.Locale.ROOT,
                        "  Miner            %-9s  127.0.0.1:%d  %s, %s (%s, outlet %d; password in %s)",
                        family.id,
                        mixed.port(family),
                        family.description,
                        family.profile,
                        DemoMixedRack.RACK,
                        family.outlet(),
                        dir.resolve(family.passwordFile())));
            }
        }
        out.println("  Market           " + Addresses.http(demo.controller().httpAddress()) + "api/v1/market"
                + (priceSpike == null
                        ? "  (calm synthetic prices, nothing struck; --price-spike 300 shows a strike)"
                        : "  (energy at " + priceSpike + " USD/MWh from 2 min after the start for 10 min)"));
        out.println("  Generated files  " + dir + (temporary ? " (deleted on exit)" : ""));
        out.println("Miners report within a few seconds. Press Ctrl-C to stop.");
        out.flush();
        AutoCloseable cleanup = () -> {
            if (temporary) {
                DemoSite.deleteWorkDir(dir);
            }
        };
        Shutdown.awaitSignal(demo, cleanup);
        return 0;
    }
}
