package io.headroom.cli;

import io.headroom.agent.Agent;
import io.headroom.agent.config.AgentConfig;
import io.headroom.agent.config.AgentConfigLoader;
import io.headroom.controller.Controller;
import io.headroom.controller.config.ControllerConfig;
import io.headroom.controller.config.ControllerConfigLoader;
import io.headroom.simulator.meter.MeterModel;
import io.headroom.simulator.meter.SimulatedMeter;
import io.headroom.simulator.pdu.PduSpec;
import io.headroom.simulator.pdu.SimulatedPdu;
import io.headroom.simulator.site.FeedSpec;
import io.headroom.simulator.site.RackSpec;
import io.headroom.simulator.site.SimulatedGpuServer;
import io.headroom.simulator.site.SimulatedSite;
import io.headroom.simulator.site.SitePower;
import io.headroom.simulator.site.SiteSpec;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A whole simulated site in one process: simulated miners on loopback, a controller with its
 * embedded MQTT endpoint, and agents polling the miners. It writes the same files an operator
 * would (credentials, {@code controller.yaml}, one {@code agent.yaml} and password file per agent)
 * into a work folder and starts everything from them, so the demo exercises the real loaders.
 */
final class DemoSite implements AutoCloseable {

    static final String OBSERVER = "observer";
    /** The web page's and API's user who may send commands. */
    static final String OPERATOR = "operator";
    /** A read-only web page and API user. */
    static final String VIEWER = "viewer";

    /** SNMP communities of the simulated PDUs; the agents get the write one, to switch outlets. */
    static final String PDU_READ_COMMUNITY = "public";

    static final String PDU_WRITE_COMMUNITY = "private";
    static final String PDU_COMMUNITY_FILE = "pdu.community";
    /** Outlets of each rack's PDU (the apc/rpdu2 profile controls outlets 1..24); a rack holds at most this many. */
    static final int PDU_OUTLETS = 24;
    /** The generated site model, beside controller.yaml. */
    static final String SITE_MODEL_FILE = "site.yaml";
    /** Racks per electrical feed; each feed has a meter. */
    static final int RACKS_PER_FEED = 2;
    /** Input rating of a simulated rack PDU, A: a 3-phase 63 A busway tap per rack. */
    static final double PDU_RATED_AMPS = 3 * 63;

    private final DemoOptions options;
    private final SimulatedSite simulator;
    private final SitePower power;
    private final List<SimulatedPdu> pdus;
    private final List<SimulatedMeter> meters;
    private final List<SimulatedGpuServer> gpuServers;
    private final @Nullable DemoMixedRack mixed;
    private final Controller controller;
    private final List<Agent> agents;

    private DemoSite(
            DemoOptions options,
            SimulatedSite simulator,
            SitePower power,
            List<SimulatedPdu> pdus,
            List<SimulatedMeter> meters,
            List<SimulatedGpuServer> gpuServers,
            @Nullable DemoMixedRack mixed,
            Controller controller,
            List<Agent> agents) {
        this.options = options;
        this.mixed = mixed;
        this.gpuServers = gpuServers;
        this.simulator = simulator;
        this.power = power;
        this.pdus = pdus;
        this.meters = meters;
        this.controller = controller;
        this.agents = agents;
    }

    static DemoSite start(DemoOptions options) throws IOException, InterruptedException {
        return start(options, UnaryOperator.identity());
    }

    /** Starts the site with {@code market}'s prices (by default {@link DemoMarket#calm()}). */
    static DemoSite start(DemoOptions options, DemoMarket market) throws IOException, InterruptedException {
        return start(options, UnaryOperator.identity(), true, null, market);
    }

    /**
     * Starts the site without its controller: the files are written as for {@link #start(DemoOptions)}
     * ({@code controller.yaml} beside them), and the agents connect to
     * {@code options.bind():options.mqttPort()}, where a controller started from that file, e.g. in
     * another process, listens. {@link #controller()} is then null.
     *
     * @throws IllegalArgumentException when the MQTT port is 0 (the agents must know it beforehand)
     */
    static DemoSite startWithoutController(DemoOptions options) throws IOException, InterruptedException {
        if (options.mqttPort() == 0 || options.httpPort() == 0) {
            throw new IllegalArgumentException("a controller of its own needs fixed ports, not 0");
        }
        InetSocketAddress endpoint = new InetSocketAddress(options.bind(), options.mqttPort());
        return start(options, UnaryOperator.identity(), false, endpoint, DemoMarket.calm());
    }

    /**
     * Starts the site with the agents reaching the controller's MQTT endpoint at
     * {@code agentRoute.apply(endpoint)} instead of directly, e.g. through a test's fault proxy.
     */
    static DemoSite start(DemoOptions options, UnaryOperator<InetSocketAddress> agentRoute)
            throws IOException, InterruptedException {
        return start(options, agentRoute, true, null, DemoMarket.calm());
    }

    private static DemoSite start(
            DemoOptions options,
            UnaryOperator<InetSocketAddress> agentRoute,
            boolean withController,
            InetSocketAddress externalEndpoint,
            DemoMarket market)
            throws IOException, InterruptedException {
        Files.createDirectories(options.workDir());
        if (options.gpuServers() > 0) {
            DemoGpuRack.issueCertificateEarly();
        }
        List<String> agentIds = new ArrayList<>();
        for (int i = 1; i <= options.agents(); i++) {
            agentIds.add("rack-" + i);
        }
        DemoConfigFiles.writeCredentials(options.workDir(), agentIds);
        List<List<RackSpec>> racksByAgent = racks(options);
        List<RackSpec> allRacks = racksByAgent.stream().flatMap(List::stream).toList();
        DemoConfigFiles.write(options.workDir().resolve(SITE_MODEL_FILE), siteModel(options));
        Path controllerYaml = DemoConfigFiles.write(
                options.workDir().resolve("controller.yaml"),
                DemoConfigFiles.controllerYaml(options, DemoConfigFiles.apiUsers(options.workDir()))
                        + market.write(
                                options.workDir(),
                                options.seed(),
                                Clock.systemUTC().instant()));

        DemoConfigFiles.writeSecret(options.workDir().resolve(PDU_COMMUNITY_FILE), PDU_WRITE_COMMUNITY + "\n");

        SimulatedSite simulator = SimulatedSite.start(SiteSpec.of(options.miners(), options.seed()), Clock.systemUTC());
        List<SimulatedPdu> pdus = new CopyOnWriteArrayList<>();
        List<SimulatedMeter> meters = new CopyOnWriteArrayList<>();
        List<SimulatedGpuServer> gpus = new CopyOnWriteArrayList<>();
        AtomicReference<DemoMixedRack> mixed = new AtomicReference<>();
        FutureTask<Void> powerStart = null;
        Controller controller = null;
        List<Agent> agents = new ArrayList<>();
        try {
            SitePower power = SitePower.of(
                    simulator, allRacks, feeds(allRacks), options.pace().bootDelay());
            // The PDUs and meters start while the controller does (both mostly class loading); the agents,
            // whose configs name the PDUs' ports, wait for both.
            powerStart = new FutureTask<>(() -> {
                startPowerDevices(options, power, allRacks, pdus, meters, gpus);
                if (options.mixedFleet()) {
                    mixed.set(DemoMixedRack.start(options, power));
                }
                return null;
            });
            Thread starter = new Thread(powerStart, "demo-power-start");
            starter.setDaemon(true);
            starter.start();
            simulator.startTicking(Duration.ofMillis(250));
            if (withController) {
                controller = Controller.start(loadController(controllerYaml), Clock.systemUTC());
            }
            awaitPowerDevices(powerStart);
            for (int a = 0; a < agentIds.size(); a++) {
                String agentId = agentIds.get(a);
                List<String> agentRacks =
                        racksByAgent.get(a).stream().map(RackSpec::id).toList();
                List<SimulatedPdu> agentPdus = pdus.stream()
                        .filter(p -> agentRacks.contains(p.rackId()))
                        .toList();
                // A feed's meter is read by one agent: the one with the feed's first rack.
                List<SimulatedMeter> agentMeters = meters.stream()
                        .filter(m ->
                                agentRacks.contains(power.feed(m.id()).racks().get(0)))
                        .toList();
                // The GPU rack belongs to the last agent (racks()).
                List<SimulatedGpuServer> agentGpus = agentRacks.contains(DemoGpuRack.AI_RACK) ? gpus : List.of();
                Path agentYaml = DemoConfigFiles.write(
                        options.workDir().resolve(agentId + ".yaml"),
                        DemoConfigFiles.agentYaml(
                                        options,
                                        agentId,
                                        agentRoute.apply(
                                                controller == null ? externalEndpoint : controller.mqttAddress()),
                                        simulator,
                                        a,
                                        agentPdus,
                                        agentMeters,
                                        agentGpus)
                                + (agentRacks.contains(DemoMixedRack.RACK)
                                        ? mixed.get().agentYaml()
                                        : ""));
                AgentConfig config = loadAgent(agentYaml);
                agents.add(
                        Agent.start(config, Clock.systemUTC(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)));
            }
            return new DemoSite(
                    options,
                    simulator,
                    power,
                    List.copyOf(pdus),
                    List.copyOf(meters),
                    List.copyOf(gpus),
                    mixed.get(),
                    controller,
                    agents);
        } catch (IOException | InterruptedException | RuntimeException e) {
            agents.forEach(Agent::close);
            if (controller != null) {
                controller.close();
            }
            if (powerStart != null) {
                try {
                    powerStart.get(); // let it finish, so that everything it started is closed below
                } catch (ExecutionException ignored) {
                    // Reported by awaitPowerDevices, or superseded by e.
                }
            }
            pdus.forEach(SimulatedPdu::close);
            meters.forEach(SimulatedMeter::close);
            gpus.forEach(SimulatedGpuServer::close);
            if (mixed.get() != null) {
                mixed.get().close();
            }
            simulator.close();
            throw e;
        }
    }

    /**
     * The racks of each agent: its block of miners (see {@link DemoConfigFiles#agentYaml}) in racks of at most
     * {@link #PDU_OUTLETS} miners, numbered across the site.
     */
    static List<List<RackSpec>> racks(DemoOptions options) {
        int perAgent = minersPerAgent(options);
        List<List<RackSpec>> byAgent = new ArrayList<>();
        int rackNumber = 0;
        for (int a = 0; a < options.agents(); a++) {
            List<RackSpec> racks = new ArrayList<>();
            int from = a * perAgent;
            int to = Math.min(options.miners(), from + perAgent);
            for (int start = from; start < to; start += PDU_OUTLETS) {
                List<Integer> miners = new ArrayList<>();
                for (int i = start; i < Math.min(to, start + PDU_OUTLETS); i++) {
                    miners.add(i);
                }
                racks.add(new RackSpec("rack-" + (++rackNumber), miners, PDU_OUTLETS));
            }
            if (a == options.agents() - 1 && options.mixedFleet()) {
                // No LuxOS miners on it: its outlets feed the other firmware families (DemoMixedRack).
                racks.add(new RackSpec(DemoMixedRack.RACK, List.of(), PDU_OUTLETS));
            }
            if (a == options.agents() - 1 && options.gpuServers() > 0) {
                // No LuxOS miners on it: its outlets feed the GPU servers (SitePower.attach).
                racks.add(new RackSpec(DemoGpuRack.AI_RACK, List.of(), PDU_OUTLETS));
            }
            byAgent.add(racks);
        }
        return byAgent;
    }

    private static void startPowerDevices(
            DemoOptions options,
            SitePower power,
            List<RackSpec> racks,
            List<SimulatedPdu> pdus,
            List<SimulatedMeter> meters,
            List<SimulatedGpuServer> gpus)
            throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        if (options.gpuServers() > 0) {
            DemoGpuRack.start(options, power, gpus);
        }
        for (RackSpec rack : racks) {
            pdus.add(SimulatedPdu.start(
                    power,
                    rack.id(),
                    new PduSpec(
                            new InetSocketAddress(loopback, 0),
                            PDU_READ_COMMUNITY,
                            PDU_WRITE_COMMUNITY,
                            PDU_RATED_AMPS)));
        }
        for (FeedSpec feed : power.feeds()) {
            meters.add(SimulatedMeter.start(
                    feed.id(),
                    MeterModel.onFeed(
                            power, feed.id(), options.seed() + feed.id().hashCode()),
                    1,
                    new InetSocketAddress(loopback, 0)));
        }
    }

    private static void awaitPowerDevices(FutureTask<Void> start) throws IOException, InterruptedException {
        try {
            start.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("starting the simulated PDUs and meters failed", e.getCause());
        }
    }

    /** The demo's {@code site.yaml}: its racks, PDUs, feeds and meters, each polled by the agent named. */
    static String siteModel(DemoOptions options) {
        List<List<RackSpec>> racksByAgent = racks(options);
        List<RackSpec> allRacks = racksByAgent.stream().flatMap(List::stream).toList();
        Map<String, String> agentOfRack = new LinkedHashMap<>();
        for (int a = 0; a < racksByAgent.size(); a++) {
            for (RackSpec rack : racksByAgent.get(a)) {
                agentOfRack.put(rack.id(), "rack-" + (a + 1));
            }
        }
        return DemoSiteModel.yaml(
                options.site(),
                allRacks,
                feeds(allRacks),
                agentOfRack,
                options.limitFactor(),
                options.gpuServers(),
                options.mixedFleet());
    }

    /** One feed per {@link #RACKS_PER_FEED} consecutive racks of miners; the GPU rack on a feed of its own. */
    private static List<FeedSpec> feeds(List<RackSpec> allRacks) {
        List<RackSpec> racks = allRacks.stream()
                .filter(r -> !r.id().equals(DemoGpuRack.AI_RACK))
                .toList();
        List<FeedSpec> feeds = new ArrayList<>();
        for (int r = 0; r < racks.size(); r += RACKS_PER_FEED) {
            feeds.add(new FeedSpec(
                    "feed-" + (feeds.size() + 1),
                    racks.subList(r, Math.min(racks.size(), r + RACKS_PER_FEED)).stream()
                            .map(RackSpec::id)
                            .toList()));
        }
        if (racks.size() < allRacks.size()) {
            feeds.add(new FeedSpec(DemoGpuRack.AI_FEED, List.of(DemoGpuRack.AI_RACK)));
        }
        return feeds;
    }

    static int minersPerAgent(DemoOptions options) {
        return (options.miners() + options.agents() - 1) / options.agents();
    }

    /** Device id of a rack's PDU: {@code rack-3} → {@code pdu-3}. */
    static String pduId(String rackId) {
        return "pdu-" + rackId.substring(rackId.lastIndexOf('-') + 1);
    }

    /** Device id of a feed's meter: {@code feed-1} → {@code meter-feed-1}. */
    static String meterId(String feedId) {
        return "meter-" + feedId;
    }

    private static ControllerConfig loadController(Path file) throws IOException {
        try {
            return ControllerConfigLoader.load(file);
        } catch (io.headroom.config.ConfigException e) {
            throw new IllegalStateException(
                    "the generated " + file + " was refused (a bug in the demo): " + e.problems());
        }
    }

    private static AgentConfig loadAgent(Path file) throws IOException {
        try {
            return AgentConfigLoader.load(file);
        } catch (io.headroom.config.ConfigException e) {
            throw new IllegalStateException(
                    "the generated " + file + " was refused (a bug in the demo): " + e.problems());
        }
    }

    Controller controller() {
        return controller;
    }

    SimulatedSite simulator() {
        return simulator;
    }

    SitePower power() {
        return power;
    }

    List<SimulatedPdu> pdus() {
        return pdus;
    }

    /** The rack of the other firmware families, or null without {@link DemoOptions#mixedFleet()}. */
    @Nullable
    DemoMixedRack mixed() {
        return mixed;
    }

    List<SimulatedMeter> meters() {
        return meters;
    }

    /** The rack of other firmware families, or null when the demo runs LuxOS miners only. */
    @Nullable
    DemoMixedRack mixedRack() {
        return mixed;
    }

    List<SimulatedGpuServer> gpuServers() {
        return gpuServers;
    }

    List<Agent> agents() {
        return agents;
    }

    DemoOptions options() {
        return options;
    }

    Path observerPasswordFile() {
        return options.workDir().resolve(OBSERVER + ".password");
    }

    /** Where the password of the HTTP API user {@code name} ({@link #OPERATOR}, {@link #VIEWER}) is. */
    Path apiPasswordFile(String name) {
        return options.workDir().resolve(name + ".password");
    }

    /** The password of the HTTP API user {@code name}, as generated. */
    String apiPassword(String name) throws IOException {
        return Files.readString(apiPasswordFile(name), java.nio.charset.StandardCharsets.UTF_8)
                .strip();
    }

    /** Device id of the i-th simulated miner (0-based). */
    static String minerId(int index) {
        return String.format(Locale.ROOT, "miner-%03d", index + 1);
    }

    @Override
    public void close() {
        // Agents first, so they say goodbye to a controller that is still there.
        agents.forEach(Agent::close);
        if (controller != null) {
            controller.close();
        }
        pdus.forEach(SimulatedPdu::close);
        meters.forEach(SimulatedMeter::close);
        gpuServers.forEach(SimulatedGpuServer::close);
        if (mixed != null) {
            mixed.close();
        }
        simulator.close();
    }

    /** Deletes the generated files (passwords included). */
    static void deleteWorkDir(Path workDir) throws IOException {
        if (!Files.exists(workDir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(workDir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
