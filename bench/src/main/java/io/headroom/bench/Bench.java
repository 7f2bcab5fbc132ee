package io.headroom.bench;

import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link IngestBenchmark} under JMH with the allocation profiler and prints, after JMH's own
 * report, one summary line that a script can read:
 *
 * <pre>
 * BENCH ingest samples_per_s=… samples_per_s_error=… decode_samples_per_s=… ingest_to_decode=…
 *       alloc_bytes_per_sample=… target_multiple=… samples_per_message=… jdk=… cpus=…
 * </pre>
 *
 * {@code target_multiple} is the ingest rate over the design load of one controller: 100,000
 * devices reporting {@link IngestFixture#METRICS_PER_MINER} metrics every second. Arguments:
 * {@code --quick} for a short run (a smoke check, not a measurement). {@code system …} and
 * {@code scale …} and {@code sustained …} run {@link SystemBench}, {@link ScaleBench} and
 * {@link SustainedOverloadBench} instead (whole processes, not JMH).
 */
public final class Bench {
    /** The design load: 100,000 devices, every metric every second. */
    static final double TARGET_SAMPLES_PER_SECOND = 100_000.0 * IngestFixture.METRICS_PER_MINER;

    private Bench() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("system")) {
            SystemBench.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("sustained")) {
            SustainedOverloadBench.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("scale")) {
            ScaleBench.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        boolean quick = args.length == 1 && args[0].equals("--quick");
        if (args.length > 1 || (args.length == 1 && !quick)) {
            System.err.println(
                    "usage: java -jar bench/target/headroom-bench.jar [--quick | system … | scale … | sustained …]");
            System.exit(2);
        }
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(IngestBenchmark.class.getName() + "\\.")
                .addProfiler(GCProfiler.class)
                .forks(1)
                .warmupIterations(quick ? 1 : 5)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(quick ? 2 : 10)
                .measurementTime(TimeValue.seconds(1))
                .shouldFailOnError(true);
        Collection<RunResult> results = new Runner(options.build()).run();
        System.out.println(summary(results, new IngestFixture(40).samplesPerMessage()));
    }

    static String summary(Collection<RunResult> results, int samplesPerMessage) {
        RunResult ingest = find(results, "ingest");
        RunResult decode = find(results, "decodeOnly");
        double ingestPerSecond = ingest.getPrimaryResult().getScore() * samplesPerMessage;
        double ingestError = ingest.getPrimaryResult().getScoreError() * samplesPerMessage;
        double decodePerSecond = decode.getPrimaryResult().getScore() * samplesPerMessage;
        Result<?> allocated = ingest.getSecondaryResults().get("gc.alloc.rate.norm");
        double bytesPerSample = allocated == null ? Double.NaN : allocated.getScore() / samplesPerMessage;
        return String.format(
                Locale.ROOT,
                "BENCH ingest samples_per_s=%.4g samples_per_s_error=%.2g decode_samples_per_s=%.4g"
                        + " ingest_to_decode=%.3f alloc_bytes_per_sample=%.2f target_multiple=%.2f"
                        + " samples_per_message=%d jdk=%s cpus=%d",
                ingestPerSecond,
                ingestError,
                decodePerSecond,
                ingestPerSecond / decodePerSecond,
                bytesPerSample,
                ingestPerSecond / TARGET_SAMPLES_PER_SECOND,
                samplesPerMessage,
                System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors());
    }

    private static RunResult find(Collection<RunResult> results, String method) {
        String suffix = "." + method;
        return results.stream()
                .filter(r -> r.getParams().getBenchmark().endsWith(suffix))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no result for " + method));
    }
}
