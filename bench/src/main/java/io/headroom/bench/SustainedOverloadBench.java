package io.headroom.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Issue 9's sustained overload: producers offered {@code --factor} (2) × what the controller can take, for a
 * minute, and the controller's memory read at the start, the middle and the end of it. First a max-mode run of
 * {@link SystemBench} on a controller of its own finds the capacity (messages a second with every ack waited
 * for); then a fresh controller gets the same connections in rate mode at factor × that. The controller's
 * back-pressure (the Receive Maximum window, the app-level acks, Netty's writability) should keep its heap
 * flat while the backlog grows at the producers, where an agent's outbox holds it; after the load stops every
 * message sent must be applied. The exit status is 1 when the heap grew or a message went missing. Latency is
 * not reported: timed from when each message was due, it only grows with the backlog, as it must. Prints one
 * line:
 *
 * <pre>
 * BENCH sustained factor=… connections=… devices=… capacity_msgs_per_s=… offered_msgs_per_s=…
 *       accepted_msgs_per_s=… overload_ratio=… heap_start_mb=… heap_mid_mb=… heap_end_mb=… heap_flat=… rss_start_mb=… rss_end_mb=…
 *       backlog_end_msgs=… sent_msgs=… applied_samples=… all_applied=… cpu_cores=… …
 * </pre>
 *
 * Fields: docs/benchmarks.md, "Sustained overload". Not a test: run by hand.
 */
final class SustainedOverloadBench {
    private static final String PASSWORD = "bench-agent-secret";
    private static final List<String> OPTIONS = List.of(
            "--factor",
            "--connections",
            "--devices",
            "--window",
            "--probe",
            "--warmup",
            "--seconds",
            "--threads",
            "--cli-jar",
            "--java-home",
            "--jvm");
    /** Growth of the live heap over the run that still reads as flat: the larger of 16 MB and 10 %. */
    private static final double FLAT_MB = 16;

    private static final double FLAT_SHARE = 0.10;

    private SustainedOverloadBench() {}

    public static void main(String[] args) throws Exception {
        BenchArgs a;
        try {
            a = new BenchArgs(args, OPTIONS, List.of());
        } catch (IllegalArgumentException e) {
            System.err.println("sustained: " + e.getMessage());
            System.exit(2);
            return;
        }
        double factor = a.number("--factor", 2);
        if (!(factor > 1)) {
            System.err.println("sustained: --factor is how many times the capacity to offer, above 1, not " + factor);
            System.exit(2);
        }
        int connections = a.integer("--connections", 50);
        int devices = a.integer("--devices", 40);
        int window = a.integer("--window", 32);
        int threads = a.integer("--threads", 1);
        int warmup = a.integer("--warmup", 5);
        int seconds = a.integer("--seconds", 60);
        Path javaHome = Path.of(a.string("--java-home", System.getProperty("java.home")));
        String jvmText = a.string("--jvm", "").trim();
        List<String> jvm = jvmText.isEmpty() ? List.of() : Arrays.asList(jvmText.split("\\s+"));
        Path cliJar = Path.of(a.string("--cli-jar", "cli/target/headroom.jar"));

        // The capacity run gets the system bench's own warm-up and length: a short, cold run underestimates it, and
        // the overload would be milder than asked (the line's overload_ratio says what it was).
        SystemBench.Load probe = new SystemBench.Load(
                connections, devices, window, Double.NaN, threads, Math.max(warmup, 10), a.integer("--probe", 20));
        SystemBench.Side capacity = SystemBench.controllerSide(probe, cliJar, javaHome, jvm);
        double perConnection = factor * capacity.msgsPerS() / connections;
        SystemBench.Load load =
                new SystemBench.Load(connections, devices, window, perConnection, threads, warmup, seconds);

        boolean held;
        try (ControllerUnderTest controller =
                ControllerUnderTest.start(cliJar, javaHome, jvm, load.agents(), PASSWORD)) {
            try (LoadGenerator generator = LoadGenerator.start(
                    controller.mqttAddress(),
                    load.build(true),
                    PASSWORD,
                    load.ackTopics(),
                    load.window(),
                    load.rate(),
                    load.threads(),
                    8)) {
                generator.begin();
                SystemBench.run(generator, warmup);
                long heapStart = controller.liveHeapBytes();
                double rssStart = ProcessStats.rssMb(controller.pid());
                double applied0 = controller.samplesApplied();
                SystemBench.Window w = SystemBench.Window.open(generator, controller.pid(), seconds);
                SystemBench.run(generator, seconds / 2);
                long heapMid = controller.liveHeapBytes();
                SystemBench.run(generator, seconds - seconds / 2);
                SystemBench.Window.Closed c = w.close();
                double applied1 = controller.samplesApplied();
                long heapEnd = controller.liveHeapBytes();
                long backlog = generator.backlog();
                boolean drained = generator.drain(60_000);
                double applied = controller.samplesApplied();
                long sent = generator.dataSent();
                generator.close();
                double accepted = (applied1 - applied0) / load.samplesPerMessage() / c.seconds();
                double startMb = heapStart / 1048576.0;
                double endMb = heapEnd / 1048576.0;
                boolean flat = endMb - startMb <= Math.max(FLAT_MB, FLAT_SHARE * startMb);
                System.out.println(String.format(
                        Locale.ROOT,
                        "BENCH sustained factor=%.1f connections=%d devices=%d samples_per_msg=%d window=%d"
                                + " seconds=%d capacity_msgs_per_s=%.0f offered_msgs_per_s=%.0f"
                                + " accepted_msgs_per_s=%.0f overload_ratio=%.2f heap_start_mb=%.1f heap_mid_mb=%.1f heap_end_mb=%.1f"
                                + " heap_flat=%b rss_start_mb=%.0f rss_end_mb=%.0f backlog_end_msgs=%d sent_msgs=%d"
                                + " applied_samples=%.0f all_applied=%b cpu_cores=%.2f"
                                + " jvm=\"%s\" jdk=%s cpus=%d load_avg=%.1f",
                        factor,
                        connections,
                        devices,
                        load.samplesPerMessage(),
                        window,
                        seconds,
                        capacity.msgsPerS(),
                        perConnection * connections,
                        accepted,
                        perConnection * connections / accepted,
                        startMb,
                        heapMid / 1048576.0,
                        endMb,
                        flat,
                        rssStart,
                        c.serverRssMb(),
                        backlog,
                        sent,
                        applied,
                        drained && applied == (double) sent * load.samplesPerMessage(),
                        c.serverCpu() / c.seconds(),
                        String.join(" ", jvm),
                        System.getProperty("java.version"),
                        Runtime.getRuntime().availableProcessors(),
                        ProcessStats.loadAverage()));
                held = flat && drained && applied == (double) sent * load.samplesPerMessage();
            }
        }
        if (!held) {
            System.exit(1);
        }
    }
}
