package io.headroom.bench;

import io.headroom.protocol.TopicKind;
import io.headroom.protocol.Topics;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Issue 9's whole-system load generator: N agent connections (their own credentials) each send a
 * Birth and then Data of D miners × 12 metrics, every value changed, at QoS 1, into a real
 * controller in a process of its own; then the same load into Debian's Mosquitto with one QoS 0
 * subscriber reading everything, in the same run, one after the other (never both at once: they
 * would share the CPUs). Prints one line:
 *
 * <pre>
 * BENCH system mode=… connections=… devices=… samples_per_msg=… window=… rate_per_conn=… seconds=…
 *       ctl_samples_per_s=… ctl_msgs_per_s=… ctl_cpu_s_per_m=… ctl_kernel_share=… ctl_rss_mb=… …
 *       mq_samples_per_s=… … ingest_to_forward=… cpu_ratio=… gen_cpu_s_per_m=… …
 * </pre>
 *
 * Fields: docs/benchmarks.md, section "Whole system". Not a test: run by hand.
 */
public final class SystemBench {
    private static final String PASSWORD = "bench-agent-secret";
    private static final List<String> OPTIONS = List.of(
            "--mode",
            "--connections",
            "--devices",
            "--rate",
            "--window",
            "--warmup",
            "--seconds",
            "--threads",
            "--cli-jar",
            "--java-home",
            "--jvm",
            "--mosquitto");
    private static final List<String> FLAGS = List.of("--quick", "--no-mosquitto");

    private SystemBench() {}

    /** What one side (the controller, or Mosquitto) did in the measured window. */
    record Side(
            double samplesPerS,
            double msgsPerS,
            double cpuSecondsPerMillion,
            double kernelShare,
            double rssMb,
            LatencyHistogram latency,
            LatencyHistogram pubAck,
            LatencyHistogram sendLag,
            LatencyHistogram latencyAfterWrite,
            boolean accounted,
            long rebirths,
            double generatorCpuPerMillion,
            double publishedMsgsPerS,
            double forwardedFraction) {}

    public static void main(String[] args) throws Exception {
        BenchArgs a;
        try {
            a = new BenchArgs(args, OPTIONS, FLAGS);
        } catch (IllegalArgumentException e) {
            System.err.println("system: " + e.getMessage());
            System.exit(2);
            return;
        }
        boolean quick = a.flag("--quick");
        double rate = a.number("--rate", Double.NaN);
        String mode = a.string("--mode", Double.isNaN(rate) ? "max" : "rate");
        if (mode.equals("rate") && Double.isNaN(rate)) {
            rate = 4; // 50 connections × 4 msgs/s × 480 samples ≈ the 100 k samples/s
        }
        if (!mode.equals("max") && !mode.equals("rate")) {
            System.err.println("system: --mode is max or rate, not '" + mode + "'");
            System.exit(2);
        }
        Load load = new Load(
                a.integer("--connections", quick ? 10 : 50),
                a.integer("--devices", 40),
                a.integer("--window", 32),
                mode.equals("max") ? Double.NaN : rate,
                a.integer("--threads", 1),
                a.integer("--warmup", quick ? 3 : 10),
                a.integer("--seconds", quick ? 5 : 20));
        Path javaHome = Path.of(a.string("--java-home", System.getProperty("java.home")));
        List<String> jvm = a.string("--jvm", "").isBlank()
                ? List.of()
                : Arrays.asList(a.string("--jvm", "").trim().split("\\s+"));
        Path cliJar = Path.of(a.string("--cli-jar", "cli/target/headroom.jar"));
        Path mosquitto = Path.of(a.string("--mosquitto", "/usr/sbin/mosquitto"));

        Side controller = controllerSide(load, cliJar, javaHome, jvm);
        Side broker = a.flag("--no-mosquitto") ? null : mosquittoSide(load, mosquitto);
        System.out.println(
                line(mode, load, controller, broker, broker == null ? "-" : MosquittoUnderTest.version(mosquitto)));
        if (!controller.accounted() || (broker != null && !broker.accounted())) {
            System.exit(1);
        }
    }

    /** The shape of the load. {@code rate} is messages per connection per second, NaN for max. */
    record Load(int connections, int devices, int window, double rate, int threads, int warmup, int seconds) {
        List<LoadConnection> build(boolean appAcks) {
            List<LoadConnection> list = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                String agent = agent(i);
                RackTraffic traffic = new RackTraffic(agent, 0x5EED_0000L + i + 1, devices, i * devices, i);
                list.add(new LoadConnection(
                        traffic,
                        appAcks,
                        Topics.agent(ControllerUnderTest.SITE, agent, TopicKind.DATA)
                                .toWire()));
            }
            return list;
        }

        List<String> agents() {
            List<String> list = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                list.add(agent(i));
            }
            return list;
        }

        List<String> ackTopics() {
            return agents().stream()
                    .map(agent -> Topics.agent(ControllerUnderTest.SITE, agent, TopicKind.ACK)
                            .toWire())
                    .toList();
        }

        int samplesPerMessage() {
            return devices * RackTraffic.METRICS_PER_MINER;
        }

        private static String agent(int i) {
            return String.format("rack-%04d", i + 1);
        }
    }

    static Side controllerSide(Load load, Path cliJar, Path javaHome, List<String> jvm) throws Exception {
        try (ControllerUnderTest controller =
                ControllerUnderTest.start(cliJar, javaHome, jvm, load.agents(), PASSWORD)) {
            List<LoadConnection> connections = load.build(true);
            try (LoadGenerator generator = LoadGenerator.start(
                    controller.mqttAddress(),
                    connections,
                    PASSWORD,
                    load.ackTopics(),
                    load.window(),
                    load.rate(),
                    load.threads(),
                    8)) {
                generator.begin();
                // The first HTTP request loads the HTTP pipeline's classes (a second ChannelHandlerContext
                // among them), which throws away the JIT's code for the MQTT path compiled so far (about a
                // thousand methods). Scraped first at the window's start, that recompilation fell inside
                // the measurement; a site's Prometheus scrapes from the start, so the warm-up takes it.
                controller.samplesApplied();
                run(generator, load.warmup());
                double applied0 = controller.samplesApplied();
                Window w = Window.open(generator, controller.pid(), load.seconds());
                run(generator, load.seconds());
                double applied1 = controller.samplesApplied();
                Window.Closed c = w.close();
                boolean drained = generator.drain(30_000);
                double appliedAll = controller.samplesApplied();
                long expected = generator.dataSent() * load.samplesPerMessage();
                check(generator);
                generator.close();
                LoadGenerator.Window r = generator.results();
                double samples = applied1 - applied0;
                return new Side(
                        samples / c.seconds,
                        samples / load.samplesPerMessage() / c.seconds,
                        c.serverCpu / (samples / 1e6),
                        c.serverSys / c.serverCpu,
                        c.serverRssMb,
                        r.appAck,
                        r.pubAck,
                        r.sendLag,
                        r.appAckAfterWrite,
                        drained && appliedAll == expected,
                        generator.rebirths(),
                        c.generatorCpu / (samples / 1e6),
                        r.sent / c.seconds,
                        appliedAll / expected);
            }
        }
    }

    static Side mosquittoSide(Load load, Path binary) throws Exception {
        try (MosquittoUnderTest broker = MosquittoUnderTest.start(binary);
                CountingSubscriber subscriber = CountingSubscriber.start(
                        broker.address(), Topics.allAgentsFilter(ControllerUnderTest.SITE, TopicKind.DATA))) {
            List<LoadConnection> connections = load.build(false);
            try (LoadGenerator generator = LoadGenerator.start(
                    broker.address(), connections, null, null, load.window(), load.rate(), load.threads(), 8)) {
                generator.begin();
                run(generator, load.warmup());
                long forwarded0 = subscriber.published();
                Window w = Window.open(generator, broker.pid(), load.seconds());
                run(generator, load.seconds());
                long forwarded1 = subscriber.published();
                Window.Closed c = w.close();
                boolean drained = generator.drain(30_000);
                check(generator);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (subscriber.published() < generator.dataSent() && System.nanoTime() < deadline) {
                    Thread.sleep(20); // waiting for the subscriber to catch up, with a deadline
                }
                if (subscriber.failure() != null) {
                    throw new IOException(subscriber.failure());
                }
                generator.close();
                LoadGenerator.Window r = generator.results();
                double samples = (double) (forwarded1 - forwarded0) * load.samplesPerMessage();
                return new Side(
                        samples / c.seconds,
                        samples / load.samplesPerMessage() / c.seconds,
                        c.serverCpu / (samples / 1e6),
                        c.serverSys / c.serverCpu,
                        c.serverRssMb,
                        r.pubAck,
                        r.pubAck,
                        r.sendLag,
                        r.pubAckAfterWrite,
                        drained,
                        0,
                        c.generatorCpu / (samples / 1e6),
                        r.sent / c.seconds,
                        (double) subscriber.published() / generator.dataSent());
            }
        }
    }

    /** Lets the load run for {@code seconds}, failing early if a connection failed. */
    static void run(LoadGenerator generator, int seconds) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < until) {
            check(generator);
            Thread.sleep(Math.min(200, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
        }
    }

    private static void check(LoadGenerator generator) throws IOException {
        if (generator.failure() != null) {
            throw new IOException(generator.failure());
        }
    }

    /** The measured window: wall time, the server's and the generator's CPU, the server's RSS. */
    static final class Window {
        private final long pid;
        private final long start;
        private final double serverCpu0;
        private final double serverSys0;
        private final double generatorCpu0;

        record Closed(double seconds, double serverCpu, double serverSys, double generatorCpu, double serverRssMb) {}

        private Window(long pid, long start, double serverCpu0, double serverSys0, double generatorCpu0) {
            this.pid = pid;
            this.start = start;
            this.serverCpu0 = serverCpu0;
            this.serverSys0 = serverSys0;
            this.generatorCpu0 = generatorCpu0;
        }

        static Window open(LoadGenerator generator, long pid, int seconds) throws IOException {
            long now = System.nanoTime();
            generator.measure(now, now + TimeUnit.SECONDS.toNanos(seconds));
            return new Window(
                    pid,
                    now,
                    ProcessStats.cpuSeconds(pid),
                    ProcessStats.systemSeconds(pid),
                    ProcessStats.cpuSeconds(self()));
        }

        Closed close() throws IOException {
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Closed(
                    seconds,
                    ProcessStats.cpuSeconds(pid) - serverCpu0,
                    ProcessStats.systemSeconds(pid) - serverSys0,
                    ProcessStats.cpuSeconds(self()) - generatorCpu0,
                    ProcessStats.rssMb(pid));
        }

        private static long self() {
            return ProcessHandle.current().pid();
        }
    }

    static String ms(LatencyHistogram h, double q) {
        return String.format(Locale.ROOT, "%.3f", h.percentile(q) / 1e6);
    }

    private static String line(String mode, Load load, Side ctl, Side mq, String mosquittoVersion) throws IOException {
        StringBuilder b = new StringBuilder(String.format(
                Locale.ROOT,
                "BENCH system mode=%s connections=%d devices=%d samples_per_msg=%d window=%d rate_per_conn=%s"
                        + " seconds=%d",
                mode,
                load.connections(),
                load.devices(),
                load.samplesPerMessage(),
                load.window(),
                Double.isNaN(load.rate()) ? "max" : String.format(Locale.ROOT, "%.1f", load.rate()),
                load.seconds()));
        side(b, "ctl", ctl);
        b.append(String.format(
                Locale.ROOT, " ctl_puback_p99_ms=%s ctl_rebirths=%d", ms(ctl.pubAck(), 0.99), ctl.rebirths()));
        if (mq != null) {
            side(b, "mq", mq);
            b.append(String.format(
                    Locale.ROOT,
                    " ingest_to_forward=%.3f cpu_ratio=%.3f",
                    ctl.samplesPerS() / mq.samplesPerS(),
                    ctl.cpuSecondsPerMillion() / mq.cpuSecondsPerMillion()));
        }
        b.append(String.format(
                Locale.ROOT,
                " gen_cpu_s_per_m=%.3f mosquitto=%s jdk=%s cpus=%d load_avg=%.1f",
                ctl.generatorCpuPerMillion(),
                mosquittoVersion,
                System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(),
                ProcessStats.loadAverage()));
        return b.toString();
    }

    private static void side(StringBuilder b, String prefix, Side s) {
        b.append(String.format(
                Locale.ROOT,
                " %1$s_samples_per_s=%2$.4g %1$s_msgs_per_s=%3$.0f %1$s_cpu_s_per_m=%4$.3f %1$s_kernel_share=%16$.2f"
                        + " %1$s_rss_mb=%5$.0f"
                        + " %1$s_ack_p50_ms=%6$s %1$s_ack_p99_ms=%7$s %1$s_ack_p999_ms=%8$s %1$s_acks=%9$d"
                        + " %1$s_accounted=%10$b %1$s_sent_msgs_per_s=%11$.0f %1$s_delivered=%12$.4f"
                        + " %1$s_send_lag_p99_ms=%13$s %1$s_ack_after_write_p50_ms=%14$s"
                        + " %1$s_ack_after_write_p99_ms=%15$s",
                prefix,
                s.samplesPerS(),
                s.msgsPerS(),
                s.cpuSecondsPerMillion(),
                s.rssMb(),
                ms(s.latency(), 0.5),
                ms(s.latency(), 0.99),
                ms(s.latency(), 0.999),
                s.latency().count(),
                s.accounted(),
                s.publishedMsgsPerS(),
                s.forwardedFraction(),
                ms(s.sendLag(), 0.99),
                ms(s.latencyAfterWrite(), 0.5),
                ms(s.latencyAfterWrite(), 0.99),
                s.kernelShare()));
    }
}
