package io.headroom.bench;

import io.headroom.protocol.DataFrame;
import io.headroom.protocol.MalformedPayloadException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * The {@link IngestBenchmark}'s messages measured in this thread's CPU time rather than wall-clock
 * throughput: on a shared, loaded machine a descheduled thread lowers JMH's score but not its CPU
 * time, so before/after comparisons of the ingest path stay readable there. Warms up, then
 * measures {@code rounds} rounds of {@code messages} ingested messages and as many decoded ones
 * (a separate fixture, so ingest never sees a gap in seq; decoded into a {@link DataFrame} as ingest
 * does), and checks that every sample was
 * applied. Prints the medians:
 *
 * <pre>
 * BENCH ingest-cpu ns_per_message=… ns_per_message_min=… decode_ns_per_message=…
 *       beyond_decode_ns_per_sample=… samples_per_message=… history=… jdk=… cpus=…
 * </pre>
 *
 * Arguments: {@code [messages [rounds [history]]]}, default 100000, 7 and none: the word {@code history}
 * has the ingested messages' samples also kept in a short-term history (D41), as the controller does.
 */
public final class IngestCpuBench {
    private static final int WARM_UP_MESSAGES = 300_000;

    private IngestCpuBench() {}

    public static void main(String[] args) throws MalformedPayloadException {
        if (args.length > 3 || (args.length == 3 && !args[2].equals("history"))) {
            System.err.println("usage: IngestCpuBench [messages [rounds [history]]]");
            System.exit(2);
        }
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        if (messages < 1 || rounds < 1) {
            System.err.println("messages and rounds must be at least 1");
            System.exit(2);
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        boolean history = args.length == 3;
        IngestFixture ingest = new IngestFixture(40, history);
        IngestFixture decode = new IngestFixture(40);
        // Decoded as ingest decodes a Data (D63), into one frame reused from message to message.
        DataFrame frame = new DataFrame();
        for (int i = 0; i < WARM_UP_MESSAGES; i++) {
            ingest.ingestNext();
            frame.decode(decode.next());
        }
        double[] ingestNs = new double[rounds];
        double[] decodeNs = new double[rounds];
        long aliases = 0;
        for (int r = 0; r < rounds; r++) {
            long start = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < messages; i++) {
                ingest.ingestNext();
            }
            long ingested = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < messages; i++) {
                frame.decode(decode.next());
                aliases += frame.sampleCount();
            }
            long decoded = threads.getCurrentThreadCpuTime();
            ingestNs[r] = (ingested - start) / (double) messages;
            decodeNs[r] = (decoded - ingested) / (double) messages;
        }
        int perMessage = ingest.samplesPerMessage();
        double applied = ingest.registry()
                .get("headroom.ingest.samples")
                .tag("outcome", "applied")
                .counter()
                .count();
        double expected = ((double) WARM_UP_MESSAGES + (double) rounds * messages) * perMessage;
        if (applied != expected || aliases != (long) rounds * messages * perMessage) {
            throw new IllegalStateException("not every sample was applied/decoded: " + applied + " of " + expected);
        }
        Arrays.sort(ingestNs);
        Arrays.sort(decodeNs);
        double median = ingestNs[rounds / 2];
        double decodeMedian = decodeNs[rounds / 2];
        System.out.println(String.format(
                Locale.ROOT,
                "BENCH ingest-cpu ns_per_message=%.0f ns_per_message_min=%.0f decode_ns_per_message=%.0f"
                        + " beyond_decode_ns_per_sample=%.2f samples_per_message=%d history=%b jdk=%s cpus=%d",
                median,
                ingestNs[0],
                decodeMedian,
                (median - decodeMedian) / perMessage,
                perMessage,
                history,
                System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors()));
    }
}
