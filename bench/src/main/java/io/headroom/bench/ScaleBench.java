package io.headroom.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Issue 9's "100,000 devices on one controller": C connections × D miners × 12 metrics (default 250
 * × 400 = 100,000 devices), every value drifting a little each time, sent at a fixed rate (default 1
 * Hz per connection: 1.2 M samples/s) into a real controller process, for a fixed time after a
 * warm-up. Measures the controller's live heap after a full GC before the load and after it (per
 * device and per device-metric), its RSS, its CPU, and publish → Ack latency from each message's
 * due time (the Ack follows the store's update, so this bounds device read → state applied from
 * above, less the agent's own read). One line:
 *
 * <pre>
 * BENCH scale devices=… metrics=… connections=… hz=… seconds=… sent_samples=… applied_samples=…
 *       all_applied=… ack_p50_ms=… ack_p99_ms=… ack_p999_ms=… ack_max_ms=… acks=… send_lag_p99_ms=…
 *       ack_after_write_p50_ms=… ack_after_write_p99_ms=… api_requests=… api_errors=… api_p50_ms=… api_p99_ms=…
 *       api_max_ms=… api_mb=… site_streams=… stream_mb_per_s=… stream_events=… heap_base_mb=… heap_mb=…
 *       heap_bytes_per_device=… heap_bytes_per_device_metric=… rss_mb=… rss_peak_mb=… cpu_cores=… jvm=… jdk=…
 * </pre>
 */
public final class ScaleBench {
    private static final String PASSWORD = "bench-agent-secret";
    private static final List<String> OPTIONS = List.of(
            "--connections",
            "--devices",
            "--hz",
            "--warmup",
            "--seconds",
            "--threads",
            "--cli-jar",
            "--java-home",
            "--jvm",
            "--history-metrics",
            "--api-period-ms",
            "--site-streams");

    private ScaleBench() {}

    public static void main(String[] args) throws Exception {
        BenchArgs a;
        try {
            a = new BenchArgs(args, OPTIONS, List.of("--site-model"));
        } catch (IllegalArgumentException e) {
            System.err.println("scale: " + e.getMessage());
            System.exit(2);
            return;
        }
        SystemBench.Load load = new SystemBench.Load(
                a.integer("--connections", 250),
                a.integer("--devices", 400),
                64,
                a.number("--hz", 1),
                a.integer("--threads", 1),
                a.integer("--warmup", 30),
                a.integer("--seconds", 60));
        Path javaHome = Path.of(a.string("--java-home", System.getProperty("java.home")));
        String jvmText = a.string("--jvm", "").trim();
        List<String> jvm = jvmText.isEmpty() ? List.of() : Arrays.asList(jvmText.split("\\s+"));
        Path cliJar = Path.of(a.string("--cli-jar", "cli/target/headroom.jar"));
        int devices = load.connections() * load.devices();
        int apiPeriodMs = a.integer("--api-period-ms", 500);
        int siteStreams = a.integer("--site-streams", 0);
        // history.metrics of the controller (D61), comma-separated patterns; absent: every metric.
        String historyMetrics = a.string("--history-metrics", "").trim();
        String moreConfig =
                historyMetrics.isEmpty() ? "" : "history:\n  metrics: [" + quoted(historyMetrics.split(",")) + "]\n";
        boolean siteModel = a.flag("--site-model");
        Map<String, String> files = Map.of();
        if (siteModel) {
            // The control engine running over every device: a site model of one PDU and rack per connection.
            moreConfig += "site-model: site.yaml\n";
            files = Map.of("site.yaml", siteYaml(load));
        }
        try (ControllerUnderTest controller =
                ControllerUnderTest.start(cliJar, javaHome, jvm, load.agents(), PASSWORD, moreConfig, files)) {
            long heapBase = controller.liveHeapBytes();
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
                // A technician's page, open through the warm-up too, asking for filtered pages, a device and its
                // history; counted through the measured window only.
                ApiProbe api = new ApiProbe(
                        controller,
                        load.agents().get(load.agents().size() / 2),
                        RackTraffic.deviceId(devices / 2),
                        Duration.ofMillis(Math.max(1, apiPeriodMs)));
                if (apiPeriodMs > 0) {
                    api.start();
                }
                // Site pages open on the device stream, if asked for: each gets every device's change each tick.
                List<StreamWatcher> streams = new ArrayList<>();
                for (int i = 0; i < siteStreams; i++) {
                    StreamWatcher stream = new StreamWatcher(controller);
                    stream.start();
                    streams.add(stream);
                }
                SystemBench.run(generator, load.warmup());
                SystemBench.Window w = SystemBench.Window.open(generator, controller.pid(), load.seconds());
                api.measure();
                streams.forEach(StreamWatcher::measure);
                SystemBench.run(generator, load.seconds());
                SystemBench.Window.Closed c = w.close();
                api.close();
                long streamBytes = 0;
                long streamEvents = 0;
                for (StreamWatcher stream : streams) {
                    stream.close();
                    streamBytes += stream.bytes;
                    streamEvents += stream.events;
                    if (stream.failure != null) {
                        System.err.println("scale: site stream: " + stream.failure);
                    }
                }
                if (api.firstError != null) {
                    System.err.println("scale: API probe: " + api.errors + " error(s), the first: " + api.firstError);
                }
                for (int i = 0; i < api.paths().size() && apiPeriodMs > 0; i++) {
                    LatencyHistogram h = api.byPath.get(i);
                    System.err.printf(
                            Locale.ROOT,
                            "scale: API %s: %d requests, p50 %s ms, max %.1f ms%n",
                            api.paths().get(i),
                            h.count(),
                            SystemBench.ms(h, 0.5),
                            h.max() / 1e6);
                }
                boolean drained = generator.drain(60_000);
                double applied = controller.samplesApplied();
                long sent = generator.dataSent() * load.samplesPerMessage();
                generator.close();
                long heap = controller.liveHeapBytes();
                LoadGenerator.Window r = generator.results();
                double perDevice = (double) (heap - heapBase) / devices;
                System.out.println(String.format(
                        Locale.ROOT,
                        "BENCH scale devices=%d metrics=%d connections=%d hz=%.1f seconds=%d sent_samples=%d"
                                + " applied_samples=%.0f all_applied=%b ack_p50_ms=%s ack_p99_ms=%s ack_p999_ms=%s"
                                + " ack_max_ms=%.1f acks=%d send_lag_p99_ms=%s ack_after_write_p50_ms=%s"
                                + " ack_after_write_p99_ms=%s api_requests=%d api_errors=%d api_p50_ms=%s api_p99_ms=%s"
                                + " api_max_ms=%.1f api_mb=%.1f site_streams=%d stream_mb_per_s=%.1f"
                                + " stream_events=%d site_model=%b heap_base_mb=%.1f heap_mb=%.1f heap_bytes_per_device=%.0f"
                                + " heap_bytes_per_device_metric=%.0f rss_mb=%.0f rss_peak_mb=%.0f cpu_cores=%.2f"
                                + " gen_cpu_cores=%.2f history_metrics=\"%s\" jvm=\"%s\" jdk=%s cpus=%d load_avg=%.1f",
                        devices,
                        RackTraffic.METRICS_PER_MINER,
                        load.connections(),
                        load.rate(),
                        load.seconds(),
                        sent,
                        applied,
                        drained && applied == sent,
                        SystemBench.ms(r.appAck, 0.5),
                        SystemBench.ms(r.appAck, 0.99),
                        SystemBench.ms(r.appAck, 0.999),
                        r.appAck.max() / 1e6,
                        r.appAck.count(),
                        SystemBench.ms(r.sendLag, 0.99),
                        SystemBench.ms(r.appAckAfterWrite, 0.5),
                        SystemBench.ms(r.appAckAfterWrite, 0.99),
                        api.requests,
                        api.errors,
                        SystemBench.ms(api.latency, 0.5),
                        SystemBench.ms(api.latency, 0.99),
                        api.latency.max() / 1e6,
                        api.bytes / 1048576.0,
                        siteStreams,
                        streamBytes / 1048576.0 / c.seconds(),
                        streamEvents,
                        siteModel,
                        heapBase / 1048576.0,
                        heap / 1048576.0,
                        perDevice,
                        perDevice / RackTraffic.METRICS_PER_MINER,
                        c.serverRssMb(),
                        ProcessStats.peakRssMb(controller.pid()),
                        c.serverCpu() / c.seconds(),
                        c.generatorCpu() / c.seconds(),
                        historyMetrics.isEmpty() ? "*" : historyMetrics,
                        String.join(" ", jvm),
                        javaVersion(javaHome),
                        Runtime.getRuntime().availableProcessors(),
                        ProcessStats.loadAverage()));
            }
        }
    }

    /**
     * A site model of the load (docs/site-model.md): one feed, and per connection a PDU and a rack holding its
     * miners as hashing devices. The limits are far above what the load draws (its miners' power drifts in the
     * middle half of the plausible range), so the engine reads, computes and holds every device each tick and has
     * nothing to shed: the steady state of a site.
     */
    static String siteYaml(SystemBench.Load load) {
        StringBuilder yaml = new StringBuilder(64 * load.connections() * (load.devices() + 4));
        yaml.append("site: ").append(ControllerUnderTest.SITE).append("\nlimit-kw: 100000000\nfeeds:\n");
        yaml.append("  - id: feed-1\n    pdus:\n");
        List<String> agents = load.agents();
        for (int c = 0; c < agents.size(); c++) {
            String n = String.format(Locale.ROOT, "%04d", c + 1);
            yaml.append("      - id: pdu-").append(n).append('\n');
            // 10,000 A x 100 kV x sqrt 3 x 80 %: 1.4 GW, far above any rack of the load.
            yaml.append("        breaker: {amps: 10000, volts: 100000, phases: 3}\n");
            yaml.append("        racks:\n          - id: r").append(n).append("\n            devices:\n");
            for (int d = 0; d < load.devices(); d++) {
                yaml.append("              - {id: ")
                        .append(RackTraffic.deviceId(c * load.devices() + d))
                        .append(", agent: ")
                        .append(agents.get(c))
                        .append(", class: hashing}\n");
            }
        }
        return yaml.toString();
    }

    /** The patterns as a YAML flow list's items, each in double quotes ({@code *} starts an alias bare). */
    private static String quoted(String[] patterns) {
        StringBuilder items = new StringBuilder();
        for (String pattern : patterns) {
            if (items.length() > 0) {
                items.append(", ");
            }
            items.append('"').append(pattern.strip()).append('"');
        }
        return items.toString();
    }

    private static String javaVersion(Path javaHome) {
        try {
            Path release = javaHome.resolve("release");
            for (String line : java.nio.file.Files.readAllLines(release)) {
                if (line.startsWith("JAVA_VERSION=")) {
                    return line.substring("JAVA_VERSION=".length()).replace("\"", "");
                }
            }
        } catch (java.io.IOException e) {
            // fall through
        }
        return "?";
    }
}
