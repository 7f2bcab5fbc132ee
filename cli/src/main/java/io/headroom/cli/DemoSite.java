package io.headroom.cli;

import io.headroom.agent.Agent;
import io.headroom.agent.config.AgentConfig;
import io.headroom.agent.config.AgentConfigLoader;
import io.headroom.controller.Controller;
import io.headroom.controller.config.ControllerConfig;
import io.headroom.controller.config.ControllerConfigLoader;
import io.headroom.controller.mqtt.PasswordHash;
import io.headroom.simulator.site.SimulatedSite;
import io.headroom.simulator.site.SiteSpec;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A whole simulated site in one process: simulated miners on loopback, a controller with its
 * embedded MQTT endpoint, and agents polling the miners. It writes the same files an operator
 * would (credentials, {@code controller.yaml}, one {@code agent.yaml} and password file per agent)
 * into a work folder and starts everything from them, so the demo exercises the real loaders.
 */
final class DemoSite implements AutoCloseable {

    /**
     * What to start.
     *
     * @param workDir folder for the generated files; created if missing
     * @param pollInterval how often each agent polls each miner
     */
    record Options(
            String site,
            int miners,
            int agents,
            String bind,
            int httpPort,
            int mqttPort,
            long seed,
            Duration pollInterval,
            Path workDir) {
        Options {
            if (miners < 1) {
                throw new IllegalArgumentException("--miners: must be at least 1");
            }
            if (agents < 1 || agents > miners) {
                throw new IllegalArgumentException(
                        "--agents: must be between 1 and the number of miners (" + miners + ")");
            }
        }
    }

    static final String OBSERVER = "observer";
    /** The web page's and API's user who may send commands. */
    static final String OPERATOR = "operator";
    /** A read-only web page and API user. */
    static final String VIEWER = "viewer";

    private final Options options;
    private final SimulatedSite simulator;
    private final Controller controller;
    private final List<Agent> agents;

    private DemoSite(Options options, SimulatedSite simulator, Controller controller, List<Agent> agents) {
        this.options = options;
        this.simulator = simulator;
        this.controller = controller;
        this.agents = agents;
    }

    static DemoSite start(Options options) throws IOException, InterruptedException {
        return start(options, UnaryOperator.identity());
    }

    /**
     * Starts the site with the agents reaching the controller's MQTT endpoint at
     * {@code agentRoute.apply(endpoint)} instead of directly, e.g. through a test's fault proxy.
     */
    static DemoSite start(Options options, UnaryOperator<InetSocketAddress> agentRoute)
            throws IOException, InterruptedException {
        Files.createDirectories(options.workDir());
        List<String> agentIds = new ArrayList<>();
        for (int i = 1; i <= options.agents(); i++) {
            agentIds.add("rack-" + i);
        }
        writeCredentials(options.workDir(), agentIds);
        Path controllerYaml = write(
                options.workDir().resolve("controller.yaml"), controllerYaml(options, apiUsers(options.workDir())));

        SimulatedSite simulator = SimulatedSite.start(SiteSpec.of(options.miners(), options.seed()), Clock.systemUTC());
        Controller controller = null;
        List<Agent> agents = new ArrayList<>();
        try {
            simulator.startTicking(Duration.ofMillis(250));
            controller = Controller.start(loadController(controllerYaml), Clock.systemUTC());
            for (int a = 0; a < agentIds.size(); a++) {
                String agentId = agentIds.get(a);
                Path agentYaml = write(
                        options.workDir().resolve(agentId + ".yaml"),
                        agentYaml(options, agentId, agentRoute.apply(controller.mqttAddress()), simulator, a));
                AgentConfig config = loadAgent(agentYaml);
                agents.add(
                        Agent.start(config, Clock.systemUTC(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)));
            }
            return new DemoSite(options, simulator, controller, agents);
        } catch (IOException | InterruptedException | RuntimeException e) {
            agents.forEach(Agent::close);
            if (controller != null) {
                controller.close();
            }
            simulator.close();
            throw e;
        }
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

    List<Agent> agents() {
        return agents;
    }

    Options options() {
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
        controller.close();
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

    private static void writeCredentials(Path dir, List<String> agentIds) throws IOException {
        StringBuilder credentials =
                new StringBuilder("# Generated by headroom demo: <username> <role> <PBKDF2 hash>\n");
        for (String agentId : agentIds) {
            credentials.append(principal(dir, agentId, "agent"));
        }
        credentials.append(principal(dir, OBSERVER, "observer"));
        writeSecret(dir.resolve("credentials"), credentials.toString());
    }

    private static String principal(Path dir, String username, String role) throws IOException {
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        writeSecret(dir.resolve(username + ".password"), password + "\n");
        return username
                + ' '
                + role
                + ' '
                + PasswordHash.create(password.toCharArray()).encoded()
                + '\n';
    }

    /** Generates the API users' passwords (one file each) and returns their http.users entries. */
    private static String apiUsers(Path dir) throws IOException {
        StringBuilder users = new StringBuilder("  users:\n");
        for (String name : List.of(OPERATOR, VIEWER)) {
            String[] line = principal(dir, name, name).strip().split(" ");
            users.append("    - {name: ")
                    .append(name)
                    .append(", role: ")
                    .append(name)
                    .append(", password-hash: \"")
                    .append(line[2])
                    .append("\"}\n");
        }
        return users.toString();
    }

    private static String controllerYaml(Options options, String apiUsers) {
        return "# Generated by headroom demo.\n"
                + "site: " + options.site() + "\n"
                + "controller-id: demo-controller\n"
                + "mqtt:\n"
                + "  bind: " + options.bind() + "\n"
                + "  port: " + options.mqttPort() + "\n"
                + "  credentials-file: credentials\n"
                + "  max-keep-alive: 10s\n"
                + "http:\n"
                + "  bind: " + options.bind() + "\n"
                + "  port: " + options.httpPort() + "\n"
                + "  # The demo serves plaintext HTTP, said explicitly; a real site uses mode: on (docs/api-security.md).\n"
                + "  tls:\n"
                + "    mode: off\n"
                + apiUsers
                + "data-dir: data\n";
    }

    private static String agentYaml(
            Options options, String agentId, InetSocketAddress mqtt, SimulatedSite simulator, int agentIndex) {
        StringBuilder yaml = new StringBuilder("# Generated by headroom demo.\n")
                .append("agent-id: ")
                .append(agentId)
                .append('\n')
                .append("site: ")
                .append(options.site())
                .append('\n')
                .append("mqtt:\n")
                .append("  url: tcp://")
                .append(mqtt.getAddress().getHostAddress())
                .append(':')
                .append(mqtt.getPort())
                .append('\n')
                .append("  password: {file: ")
                .append(agentId)
                .append(".password}\n")
                .append("  keep-alive: 10s\n")
                .append("  reconnect-max: 10s\n")
                // Several agents share this host: each takes a free port for its own metrics.
                .append("metrics:\n")
                .append("  bind: ")
                .append(options.bind())
                .append('\n')
                .append("  port: 0\n")
                .append("defaults:\n")
                .append("  poll-interval: ")
                .append(options.pollInterval().toMillis())
                .append("ms\n")
                .append("  timeout: 1s\n")
                .append("devices:\n");
        // Miners are dealt to agents in contiguous blocks, like racks.
        int perAgent = (options.miners() + options.agents() - 1) / options.agents();
        int from = agentIndex * perAgent;
        int to = Math.min(options.miners(), from + perAgent);
        for (int i = from; i < to; i++) {
            InetSocketAddress address = simulator.miner(i).address();
            yaml.append("  - id: ")
                    .append(minerId(i))
                    .append('\n')
                    .append("    profile: luxor/luxos\n")
                    .append("    cgminer:\n")
                    .append("      host: ")
                    .append(address.getAddress().getHostAddress())
                    .append('\n')
                    .append("      port: ")
                    .append(address.getPort())
                    .append('\n');
        }
        return yaml.toString();
    }

    private static Path write(Path file, String content) throws IOException {
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    private static void writeSecret(Path file, String content) throws IOException {
        write(file, content);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: the folder itself is the user's own temp folder.
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restrict permissions of " + file, e);
        }
    }
}
