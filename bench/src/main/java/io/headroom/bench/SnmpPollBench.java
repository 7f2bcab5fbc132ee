package io.headroom.bench;

import io.headroom.agent.config.DeviceConfig;
import io.headroom.agent.driver.BuiltInDrivers;
import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.DriverContext;
import io.headroom.agent.driver.DriverRegistry;
import io.headroom.agent.driver.snmp.SnmpDriverFactory;
import io.headroom.agent.driver.snmp.SnmpSettings;
import io.headroom.agent.driver.snmp.SnmpVersion;
import io.headroom.agent.schedule.PollScheduler;
import io.headroom.agent.schedule.ScheduledDevice;
import io.headroom.agent.time.MonotonicClock;
import io.headroom.config.ConfigNode;
import io.headroom.config.SecretRef;
import io.headroom.protocol.wire.DeviceHealth;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What polling many rack PDUs costs the agent: N simulated APC rPDU2 PDUs ({@link SnmpPduFarm}, in a JVM
 * of its own) polled over SNMP v2c with the {@code apc/rpdu2} profile every interval by the agent's own
 * {@link PollScheduler} and SNMP driver, all through its one shared SNMP session. After warm-up cycles it
 * measures this process's CPU time over the measured cycles and its resident set, and prints one line:
 *
 * <pre>
 * BENCH snmp-500-pdus pdus=500 interval_s=5 cycles=6 polls=… online=… cpu_ms_per_cycle=…
 *       cpu_core_pct=… cpu_us_per_poll=… rss_mb=… rss_peak_mb=… threads=… cpus=… jdk=…
 * </pre>
 *
 * Arguments (all optional): {@code --pdus N} (500), {@code --interval-s S} (5), {@code --cycles C} (6),
 * {@code --warmup W} (2), {@code --walk FILE} (the constructed AP8641 case of firmware-profiles).
 */
public final class SnmpPollBench {

    private SnmpPollBench() {}

    public static void main(String[] args) throws Exception {
        int pdus = 500;
        int intervalSeconds = 5;
        int cycles = 6;
        int warmup = 2;
        Path walk = Path.of("firmware-profiles/src/test/resources/cases/apc/ap8641/aos-6.7.2/walk.snmprec");
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                usage();
            }
            switch (args[i]) {
                case "--pdus" -> pdus = Integer.parseInt(args[i + 1]);
                case "--interval-s" -> intervalSeconds = Integer.parseInt(args[i + 1]);
                case "--cycles" -> cycles = Integer.parseInt(args[i + 1]);
                case "--warmup" -> warmup = Integer.parseInt(args[i + 1]);
                case "--walk" -> walk = Path.of(args[i + 1]);
                default -> usage();
            }
        }
        if (!Files.isReadable(walk)) {
            System.err.println("cannot read the walk " + walk + "; run from the repository root or give --walk");
            System.exit(2);
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        Process farm = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        SnmpPduFarm.class.getName(),
                        String.valueOf(pdus),
                        walk.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            List<Integer> ports = ports(farm);
            run(ports, Duration.ofSeconds(intervalSeconds), cycles, warmup);
        } finally {
            farm.getOutputStream().close();
            farm.destroy();
        }
    }

    private static void usage() {
        System.err.println("usage: SnmpPollBench [--pdus N] [--interval-s S] [--cycles C] [--warmup W] [--walk FILE]");
        System.exit(2);
    }

    private static List<Integer> ports(Process farm) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(farm.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith("PORTS ")) {
                List<Integer> ports = new ArrayList<>();
                for (String port : line.substring(6).split(",")) {
                    ports.add(Integer.parseInt(port));
                }
                return ports;
            }
        }
        throw new IOException("the PDU farm exited before listing its ports");
    }

    private static void run(List<Integer> ports, Duration interval, int cycles, int warmup) throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        DriverContext context = new DriverContext(
                Clock.systemUTC(), MonotonicClock.system(), meters, ref -> "public".toCharArray(), Map.of());
        DriverRegistry registry = BuiltInDrivers.registry();
        DriverRegistry.CompiledProfiles profiles = BuiltInDrivers.profiles();
        List<ScheduledDevice> devices = new ArrayList<>();
        for (int i = 0; i < ports.size(); i++) {
            DeviceConfig config = new DeviceConfig(
                    "pdu-" + i,
                    "apc/rpdu2",
                    SnmpDriverFactory.NAME,
                    interval,
                    Duration.ofSeconds(2),
                    Optional.empty(),
                    new SnmpSettings(
                            "127.0.0.1",
                            ports.get(i),
                            SnmpVersion.V2C,
                            Optional.of(new SecretRef.Credential("pdu")),
                            Optional.empty(),
                            1),
                    new ConfigNode.Origin("bench", i + 1, "devices[" + i + "]"));
            Driver driver = registry.create(config, profiles, context);
            devices.add(new ScheduledDevice(config, driver, config.id()));
        }
        AtomicLong polls = new AtomicLong();
        AtomicLong online = new AtomicLong();
        PollScheduler scheduler = new PollScheduler(
                devices,
                (id, result) -> {
                    polls.incrementAndGet();
                    if (result.health() == DeviceHealth.DEVICE_HEALTH_ONLINE) {
                        online.incrementAndGet();
                    }
                },
                Clock.systemUTC(),
                meters);
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try {
            scheduler.start();
            Thread.sleep(interval.multipliedBy(warmup).toMillis());
            long cpuBefore = os.getProcessCpuTime();
            long pollsBefore = polls.get();
            long onlineBefore = online.get();
            long wallBefore = System.nanoTime();
            Thread.sleep(interval.multipliedBy(cycles).toMillis());
            long cpu = os.getProcessCpuTime() - cpuBefore;
            double wall = System.nanoTime() - wallBefore;
            long measuredPolls = polls.get() - pollsBefore;
            long measuredOnline = online.get() - onlineBefore;
            Map<String, Long> status = procStatus();
            System.out.println(String.format(
                    Locale.ROOT,
                    "BENCH snmp-%d-pdus pdus=%d interval_s=%d cycles=%d polls=%d online=%d cpu_ms_per_cycle=%.1f"
                            + " cpu_core_pct=%.2f cpu_us_per_poll=%.0f rss_mb=%.1f rss_peak_mb=%.1f threads=%d"
                            + " cpus=%d jdk=%s",
                    ports.size(),
                    ports.size(),
                    interval.toSeconds(),
                    cycles,
                    measuredPolls,
                    measuredOnline,
                    cpu / 1e6 / cycles,
                    100.0 * cpu / wall,
                    measuredPolls == 0 ? Double.NaN : cpu / 1e3 / measuredPolls,
                    status.getOrDefault("VmRSS", -1L) / 1024.0,
                    status.getOrDefault("VmHWM", -1L) / 1024.0,
                    Thread.activeCount(),
                    Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version")));
        } finally {
            scheduler.close();
            devices.forEach(d -> d.driver().close());
            context.close();
        }
    }

    /** The kB figures of /proc/self/status (VmRSS, VmHWM …); empty off Linux. */
    private static Map<String, Long> procStatus() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return Map.of();
        }
        Map<String, Long> out = new java.util.HashMap<>();
        for (String line : Files.readAllLines(status)) {
            String[] parts = line.split(":\\s+");
            if (parts.length == 2 && parts[1].endsWith(" kB")) {
                out.put(
                        parts[0],
                        Long.parseLong(
                                parts[1].substring(0, parts[1].length() - 3).trim()));
            }
        }
        return out;
    }
}
