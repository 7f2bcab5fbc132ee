package io.headroom.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * Ingest's CPU per message at a site's scale: {@code agents} agents of 40 miners × 12 metrics in one
 * ingest, store and short-term history, each sending one Data a second of site time (every agent's
 * message of second {@code r} stamped {@code r} s after the Birth), one agent after the other as the
 * endpoint's threads would hand them over. {@link IngestCpuBench} sends one agent's messages over and
 * over, so its 40 devices stay in the CPU's caches; here, at 2,500 agents (100,000 devices, 4 GB of
 * records and histories), every message finds its devices' state in memory, not in cache, as the
 * controller does at 1 Hz. Site time, not the wall clock, drives the history, so a run of {@code
 * rounds} closes {@code rounds / 10} hour buckets and {@code rounds / 300} day buckets of every
 * metric, as that many seconds of a site would.
 *
 * <p>{@code ns_per_message_closing} is the mean over the rounds in which every metric's 10 s bucket
 * closes (one in ten), {@code ns_per_message_open} over the others, where each sample only adds to its
 * open bucket. Measured in this thread's CPU time (GC threads excluded), so a loaded machine does not skew it.
 * Checks that every sample was applied. Prints:
 *
 * <pre>
 * BENCH fleet-ingest agents=… devices=… rounds=… ns_per_message=… ns_per_sample=… ns_per_message_open=…
 *       ns_per_message_closing=… ns_per_message_p90=… samples_per_message=… history=… jdk=… cpus=…
 * </pre>
 *
 * Arguments: {@code [agents [rounds [no-history]]]}, default 2500 and 300 (and a history: {@code
 * no-history} leaves it out, to see its share), after {@value #WARM_UP_ROUNDS} rounds of
 * warm-up (the histories' first allocation, the JIT). Give the JVM room: {@code -Xmx6g} at 2,500.
 */
public final class FleetIngestBench {
    private static final int DEVICES_PER_AGENT = 40;
    private static final int WARM_UP_ROUNDS = 30;

    private FleetIngestBench() {}

    public static void main(String[] args) {
        if (args.length > 3 || (args.length == 3 && !args[2].equals("no-history"))) {
            System.err.println("usage: FleetIngestBench [agents [rounds [no-history]]]");
            System.exit(2);
        }
        int agents = args.length > 0 ? Integer.parseInt(args[0]) : 2_500;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        if (agents < 1 || rounds < 1) {
            System.err.println("agents and rounds must be at least 1");
            System.exit(2);
        }
        boolean history = args.length < 3;
        IngestFixture fleet = new IngestFixture(agents, DEVICES_PER_AGENT, history);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int second = 0;
        for (int r = 0; r < WARM_UP_ROUNDS; r++) {
            round(fleet, ++second);
        }
        double[] perMessage = new double[rounds];
        double closing = 0;
        int closingRounds = 0;
        for (int r = 0; r < rounds; r++) {
            long start = threads.getCurrentThreadCpuTime();
            round(fleet, ++second);
            perMessage[r] = (threads.getCurrentThreadCpuTime() - start) / (double) agents;
            if (second % 10 == 0) { // every metric's 10 s bucket closes in this round
                closing += perMessage[r];
                closingRounds++;
            }
        }
        int samples = fleet.samplesPerMessage();
        double applied = fleet.registry()
                .get("headroom.ingest.samples")
                .tag("outcome", "applied")
                .counter()
                .count();
        double expected = (double) (WARM_UP_ROUNDS + rounds) * agents * samples;
        if (applied != expected) {
            throw new IllegalStateException("not every sample was applied: " + applied + " of " + expected);
        }
        double mean = Arrays.stream(perMessage).average().orElseThrow();
        double open = (mean * rounds - closing) / (rounds - closingRounds);
        Arrays.sort(perMessage);
        System.out.println(String.format(
                Locale.ROOT,
                "BENCH fleet-ingest agents=%d devices=%d rounds=%d ns_per_message=%.0f ns_per_sample=%.2f"
                        + " ns_per_message_open=%.0f ns_per_message_closing=%.0f ns_per_message_p90=%.0f"
                        + " samples_per_message=%d history=%b jdk=%s cpus=%d",
                agents,
                agents * DEVICES_PER_AGENT,
                rounds,
                mean,
                mean / samples,
                open,
                closingRounds == 0 ? Double.NaN : closing / closingRounds,
                perMessage[(int) (rounds * 0.9)],
                samples,
                history,
                System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors()));
    }

    /** Every agent's Data of site second {@code second}. */
    private static void round(IngestFixture fleet, int second) {
        long at = IngestFixture.START_MS + second * 1_000L;
        for (int a = 0; a < fleet.agents(); a++) {
            fleet.ingest(a, at);
        }
    }
}
