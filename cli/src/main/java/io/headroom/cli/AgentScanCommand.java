package io.headroom.cli;

import io.headroom.agent.config.DeviceConfig;
import io.headroom.agent.driver.DeviceIdentity;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code headroom agent scan 10.0.4.0/24}: finds the miners on a network by their RPC port and names
 * each one's firmware with the agent's own drivers and the built-in profiles' match rules, exactly as
 * {@code profile: auto} would (through {@link DeviceProbe}). A port that is closed costs one short
 * connect; one that answers is asked by each driver of that port in turn, the CGMiner family (LuxOS,
 * bmminer, Avalon) first, then Whatsminer's API v2. Nothing is guessed: an answer no profile matches
 * is listed as such, and nothing is written to any device (reads only).
 */
@Command(
        name = "scan",
        description = {
            "Finds miners on the network (TCP 4028: LuxOS, stock bmminer, Avalon, Whatsminer API v2)",
            "and names each one's profile with the agent's drivers; prints a table or, with --yaml,",
            "the agent.yaml entries of the miners it identified. Reads only, sends no command.",
            "Exit codes: 0 at least one miner identified, 2 bad options, 3 answers but none identified,",
            "4 nothing answers."
        })
final class AgentScanCommand implements Callable<Integer> {

    /** Drivers that speak on the miners' RPC port, in the order they ask. */
    private static final List<String> DRIVERS = List.of("cgminer", "whatsminer");

    @Spec
    CommandSpec spec;

    @Parameters(
            arity = "1..*",
            paramLabel = "<target>",
            description = "IPv4 blocks (10.0.4.0/24), last-octet ranges (10.0.4.10-40) or hosts.")
    List<String> targets;

    @Option(names = "--port", defaultValue = "4028", description = "The miners' RPC port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = "--timeout",
            defaultValue = "2",
            paramLabel = "S",
            description = "Seconds to wait for each request to a port that answers (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(
            names = "--connect-timeout",
            defaultValue = "500",
            paramLabel = "MS",
            description = "Milliseconds to wait for a connection; silence beyond it is no miner"
                    + " (default: ${DEFAULT-VALUE}).")
    int connectTimeoutMillis;

    @Option(
            names = "--concurrency",
            defaultValue = "32",
            paramLabel = "N",
            description = "Addresses asked at once (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(
            names = "--max-hosts",
            defaultValue = "1024",
            paramLabel = "N",
            description = "Refuse targets of more addresses than this (default: ${DEFAULT-VALUE}, a /22).")
    int maxHosts;

    @Option(names = "--yaml", description = "Print the identified miners' agent.yaml entries instead of the table.")
    boolean yaml;

    /** What one address gave. */
    private sealed interface Found {
        InetAddress address();
    }

    /** A miner: its driver, its profile and what it says it is. */
    private record Miner(InetAddress address, String driver, String block, DeviceProbe.Identified identified)
            implements Found {}

    /** Something answers on the port that no profile of any driver matches. */
    private record Unidentified(InetAddress address, String message) implements Found {}

    /** The port is open but no driver got a usable answer. */
    private record Mute(InetAddress address, String reason) implements Found {}

    /** Nothing listens, or the connection timed out. */
    private record Silent(InetAddress address) implements Found {}

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<InetAddress> addresses;
        try {
            check();
            addresses = ScanTargets.expand(targets, maxHosts);
        } catch (IllegalArgumentException e) {
            err.println("headroom agent scan: " + e.getMessage());
            err.flush();
            return 2;
        }
        long started = System.nanoTime();
        List<Found> found = scan(addresses, err);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        List<Miner> miners = found.stream()
                .filter(Miner.class::isInstance)
                .map(Miner.class::cast)
                .toList();
        long unidentified =
                found.stream().filter(Unidentified.class::isInstance).count();
        long mute = found.stream().filter(Mute.class::isInstance).count();
        err.printf(
                "headroom agent scan: %d addresses on TCP %d in %.1f s: %d miners identified, %d answer but match no"
                        + " profile, %d open but mute, %d silent%n",
                addresses.size(),
                port,
                took.toMillis() / 1000.0,
                miners.size(),
                unidentified,
                mute,
                addresses.size() - miners.size() - unidentified - mute);
        if (yaml) {
            printYaml(out, miners);
        } else {
            printTable(out, found);
        }
        out.flush();
        err.flush();
        if (!miners.isEmpty()) {
            return 0;
        }
        return unidentified > 0 ? AgentProbeCommand.EXIT_NO_MATCH : AgentProbeCommand.EXIT_NO_ANSWER;
    }

    private void check() {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("--port: " + port + " is not a port (1-65535)");
        }
        if (timeoutSeconds < 1 || timeoutSeconds > 60) {
            throw new IllegalArgumentException("--timeout: must be 1 to 60 seconds, got " + timeoutSeconds);
        }
        if (connectTimeoutMillis < 50 || connectTimeoutMillis > 10_000) {
            throw new IllegalArgumentException(
                    "--connect-timeout: must be 50 to 10000 ms, got " + connectTimeoutMillis);
        }
        if (concurrency < 1 || concurrency > 256) {
            throw new IllegalArgumentException("--concurrency: must be 1 to 256, got " + concurrency);
        }
        if (maxHosts < 1 || maxHosts > 65_536) {
            throw new IllegalArgumentException("--max-hosts: must be 1 to 65536 (a /16), got " + maxHosts);
        }
    }

    /** Every address, at most {@code concurrency} at once; progress on standard error at each tenth. */
    private List<Found> scan(List<InetAddress> addresses, PrintWriter err) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(concurrency, addresses.size()), r -> {
            Thread thread = new Thread(r, "scan");
            thread.setDaemon(true);
            return thread;
        });
        try {
            ExecutorCompletionService<Found> done = new ExecutorCompletionService<>(pool);
            for (InetAddress address : addresses) {
                done.submit(() -> ask(address));
            }
            Map<InetAddress, Integer> order = new HashMap<>();
            for (int i = 0; i < addresses.size(); i++) {
                order.put(addresses.get(i), i);
            }
            Found[] results = new Found[addresses.size()];
            AtomicInteger miners = new AtomicInteger();
            int step = Math.max(1, addresses.size() / 10);
            for (int i = 1; i <= addresses.size(); i++) {
                Future<Found> next = done.take();
                Found result;
                try {
                    result = next.get();
                } catch (ExecutionException e) {
                    // ask() catches what a driver throws; this is a bug of the scan itself.
                    throw new IllegalStateException("scanning failed", e.getCause());
                }
                results[order.get(result.address())] = result;
                if (result instanceof Miner) {
                    miners.incrementAndGet();
                }
                if (addresses.size() >= 20 && i % step == 0 && i < addresses.size()) {
                    err.printf(
                            "headroom agent scan: %d/%d addresses, %d miners so far%n",
                            i, addresses.size(), miners.get());
                    err.flush();
                }
            }
            return List.of(results);
        } finally {
            pool.shutdownNow();
        }
    }

    private Found ask(InetAddress address) throws InterruptedException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), connectTimeoutMillis);
        } catch (IOException e) {
            return new Silent(address);
        }
        String host = address.getHostAddress();
        String noMatch = null;
        String lastReason = "no-answer";
        for (String driver : DRIVERS) {
            String block = driver.equals("whatsminer")
                    ? "host: '" + host + "'\napi: v2\nv2-port: " + port + "\n"
                    : "host: '" + host + "'\nport: " + port + "\n";
            DeviceProbe.Outcome outcome =
                    DeviceProbe.probe(driver, block, DeviceConfig.AUTO, Duration.ofSeconds(timeoutSeconds), Map.of());
            if (outcome instanceof DeviceProbe.Identified identified) {
                return new Miner(address, driver, block, identified);
            }
            if (outcome instanceof DeviceProbe.NoMatch none && noMatch == null) {
                noMatch = none.message();
            } else if (outcome instanceof DeviceProbe.NoAnswer silence) {
                lastReason = silence.reason();
            }
        }
        return noMatch != null ? new Unidentified(address, noMatch) : new Mute(address, lastReason);
    }

    private void printTable(PrintWriter out, List<Found> found) {
        for (Found result : found) {
            String where = result.address().getHostAddress() + ":" + port;
            if (result instanceof Miner miner) {
                DeviceIdentity identity = miner.identified().poll().identity();
                out.println(pad(where, 22)
                        + pad(miner.identified().profile().id(), 22)
                        + pad(identity == null ? "?" : identity.model(), 24)
                        + pad(identity == null ? "?" : identity.firmware(), 36)
                        + miner.identified().poll().health().name().replace("DEVICE_HEALTH_", ""));
            } else if (result instanceof Unidentified unidentified) {
                out.println(pad(where, 22) + "answers, but matches no profile ("
                        + unidentified.message().replaceFirst("^answers, but ", "") + ")");
            } else if (result instanceof Mute mute) {
                out.println(pad(where, 22) + "open, but no usable answer (" + mute.reason() + ")");
            }
        }
    }

    private void printYaml(PrintWriter out, List<Miner> miners) {
        out.println("# " + miners.size() + " miners found by headroom agent scan " + String.join(" ", targets)
                + "; each entry goes under devices: in agent.yaml (docs/agent-config.md).");
        if (miners.isEmpty()) {
            return;
        }
        out.println("devices:");
        for (Miner miner : miners) {
            DeviceIdentity identity = miner.identified().poll().identity();
            out.println("  # " + miner.identified().profile().description()
                    + (identity == null ? "" : " — " + identity.model() + ", " + identity.firmware()));
            out.println("  - id: " + ScanTargets.deviceId("miner", miner.address()));
            out.println("    profile: " + miner.identified().profile().id());
            out.println("    " + miner.driver() + ":");
            for (String line : miner.block().split("\n")) {
                out.println("      " + line);
            }
        }
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text + " " : text + " ".repeat(width - text.length());
    }
}
