package io.headroom.cli;

import io.headroom.agent.config.DeviceConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code headroom agent probe <host>} with no protocol named: asks every protocol a miner, GPU server
 * or PDU of ours speaks at once, each on its own thread with its own timeouts, so that one port that
 * accepts and never answers costs its own bound and never stalls the others (decisions.md D47). Reads
 * only: no command is sent to any device.
 *
 * <p>The answers come back in {@link #PREFERENCE} order, the richest control API first, which is also
 * the order in which the probe picks the device it reports.
 */
final class HostFingerprint {

    /**
     * The protocols, most preferred first. One miner often answers several: Braiins OS and Vnish also
     * answer the CGMiner RPC on 4028 and a stock Antminer answers it as bmminer (read only), so the
     * firmware's own web API, which reads and controls everything, comes first; Whatsminer's API v3
     * before the RPC port (where its v2 answers); then the RPC port (LuxOS, Avalon, bmminer,
     * Whatsminer v2). A Redfish BMC and an SNMP agent are other kinds of device (a GPU server, a
     * PDU), asked last: a miner's controller does not run them, and a BMC's host may run an SNMP
     * agent that says less than its Redfish service.
     */
    static final List<String> PREFERENCE = List.of("http", "whatsminer-v3", "rpc", "https", "snmp");

    /** Where each protocol is asked; each can be moved by an option (tests, odd sites). */
    record Ports(int rpc, int whatsminerV3, int http, int https, int snmp) {}

    /**
     * The bound of one protocol's whole conversation, in timeouts: a fingerprint and a driver's first
     * poll of several requests, each bounded by the timeout itself. A device that trickles bytes to
     * stretch each of them is cut off here.
     */
    static final int BOUND_IN_TIMEOUTS = 8;

    private static final String COMMUNITY = "probe-community";

    private HostFingerprint() {}

    /** Asks every protocol of {@code host}; one sighting per protocol, in {@link #PREFERENCE} order. */
    static List<Sighting> run(String host, Ports ports, WebFingerprint.Login login, Duration timeout)
            throws InterruptedException {
        List<Callable<Sighting>> asks = List.of(
                () -> WebFingerprint.http(host, ports.http(), login, timeout),
                () -> whatsminerV3(host, ports.whatsminerV3(), timeout),
                () -> rpc(host, ports.rpc(), timeout),
                () -> WebFingerprint.https(host, ports.https(), login, timeout),
                () -> snmp(host, ports.snmp(), timeout));
        int[] portOf = {ports.http(), ports.whatsminerV3(), ports.rpc(), ports.https(), ports.snmp()};
        ExecutorService pool = Executors.newFixedThreadPool(asks.size(), task -> {
            Thread thread = new Thread(task, "probe");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<Sighting>> futures = new ArrayList<>();
            for (Callable<Sighting> ask : asks) {
                futures.add(pool.submit(ask));
            }
            Duration bound = timeout.multipliedBy(BOUND_IN_TIMEOUTS);
            long deadline = System.nanoTime() + bound.toNanos();
            List<Sighting> sightings = new ArrayList<>();
            for (int i = 0; i < futures.size(); i++) {
                String protocol = PREFERENCE.get(i);
                Future<Sighting> future = futures.get(i);
                try {
                    sightings.add(future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
                } catch (TimeoutException e) {
                    future.cancel(true);
                    sightings.add(new Sighting.Silent(
                            protocol,
                            portOf[i],
                            "timeout",
                            "no complete answer within " + bound.toSeconds() + " s (" + BOUND_IN_TIMEOUTS
                                    + " × --timeout)"));
                } catch (ExecutionException e) {
                    // DeviceProbe and the transports catch what a device can cause; this is a bug of the probe.
                    sightings.add(
                            new Sighting.Silent(protocol, portOf[i], "probe-failed", String.valueOf(e.getCause())));
                }
            }
            return List.copyOf(sightings);
        } finally {
            pool.shutdownNow();
        }
    }

    /** TCP 4028: the CGMiner family (LuxOS, bmminer, Avalon) through the cgminer driver, then Whatsminer v2. */
    static Sighting rpc(String host, int port, Duration timeout) throws InterruptedException {
        String noMatch = null;
        DeviceProbe.NoAnswer last = null;
        for (String driver : List.of("cgminer", "whatsminer")) {
            String block = driver.equals("whatsminer")
                    ? "host: " + AgentProbeCommand.quote(host) + "\napi: v2\nv2-port: " + port + "\n"
                    : "host: " + AgentProbeCommand.quote(host) + "\nport: " + port + "\n";
            DeviceProbe.Outcome outcome = DeviceProbe.probe(driver, block, DeviceConfig.AUTO, timeout, Map.of());
            if (outcome instanceof DeviceProbe.Identified identified) {
                return new Sighting.Read(
                        "rpc", port, new Sighting.ProbeEntry(driver, block, driver.equals("whatsminer")), identified);
            }
            if (outcome instanceof DeviceProbe.NoMatch none && noMatch == null) {
                noMatch = none.message();
            } else if (outcome instanceof DeviceProbe.NoAnswer silence) {
                last = silence;
                if (silence.reason().equals("connection-refused")
                        || silence.reason().equals("unknown-host")) {
                    break; // nothing listens there: the next driver would only be refused too
                }
            } else if (outcome instanceof DeviceProbe.Unusable unusable) {
                return new Sighting.Silent("rpc", port, "unusable", String.join("; ", unusable.problems()));
            }
        }
        if (noMatch != null) {
            return new Sighting.Unmatched("rpc", port, noMatch.replaceFirst("^answers, but ", ""));
        }
        return last == null
                ? new Sighting.Silent("rpc", port, "no-answer", "no usable answer")
                : new Sighting.Silent("rpc", port, last.reason(), last.message());
    }

    /** TCP 4433: Whatsminer API v3, read without credentials (they are for writes only). */
    static Sighting whatsminerV3(String host, int port, Duration timeout) throws InterruptedException {
        String block = "host: " + AgentProbeCommand.quote(host) + "\napi: v3\nv3-port: " + port + "\n";
        DeviceProbe.Outcome outcome = DeviceProbe.probe("whatsminer", block, DeviceConfig.AUTO, timeout, Map.of());
        return simple("whatsminer-v3", port, new Sighting.ProbeEntry("whatsminer", block, true), outcome);
    }

    /** UDP 161: SNMP v2c, community {@code public}, the same identification as the probe's SNMP path. */
    static Sighting snmp(String host, int port, Duration timeout) throws InterruptedException {
        String start = "host: " + AgentProbeCommand.quote(host) + "\nport: " + port + "\nversion: 2c\n";
        String block = start + "community: {credential: " + COMMUNITY + "}\n";
        String yaml = start + "community: {file: SECRET.community}\n";
        String profile = DeviceConfig.AUTO;
        DeviceProbe.Outcome outcome = null;
        if (SnmpIdentification.needed()) {
            SnmpIdentification.Result found = SnmpIdentification.identify(host, port, 2, "public", timeout);
            outcome = found.outcome().orElse(null);
            profile = found.profile().orElse(profile);
        }
        if (outcome == null) {
            outcome = DeviceProbe.probe("snmp", block, profile, timeout, Map.of(COMMUNITY, "public"));
        }
        return simple("snmp", port, new Sighting.ProbeEntry("snmp", yaml, false), outcome);
    }

    private static Sighting simple(String protocol, int port, Sighting.ProbeEntry entry, DeviceProbe.Outcome outcome) {
        if (outcome instanceof DeviceProbe.Identified identified) {
            return new Sighting.Read(protocol, port, entry, identified);
        }
        if (outcome instanceof DeviceProbe.NoMatch none) {
            return new Sighting.Unmatched(protocol, port, none.message().replaceFirst("^answers, but ", ""));
        }
        if (outcome instanceof DeviceProbe.NoAnswer silence) {
            return new Sighting.Silent(protocol, port, silence.reason(), silence.message());
        }
        return new Sighting.Silent(
                protocol, port, "unusable", String.join("; ", ((DeviceProbe.Unusable) outcome).problems()));
    }
}
