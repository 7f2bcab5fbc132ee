package io.headroom.cli;

import io.headroom.cli.backtest.Backtest;
import io.headroom.cli.backtest.BacktestException;
import io.headroom.cli.backtest.BacktestInputs;
import io.headroom.cli.backtest.BacktestReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code headroom backtest}: the real engine over a simulated site in simulated time, beside two
 * baselines, on recorded prices (docs/backtest.md). Exit codes: 0 ran, 2 bad input (one line naming
 * it), 1 limit violations were found.
 */
@Command(
        name = "backtest",
        description = {
            "Runs the control engine and the market's strike rules in simulated time over a simulated site and"
                    + " prints energy cost, hash revenue, margin, curtailed MWh, reservations met, limit violations and"
                    + " commands, beside two baselines: always on, and a fixed strike at break-even with no dwell"
                    + " (docs/backtest.md).",
            "Exit codes: 0 ran, 1 a limit was violated, 2 bad input.",
            "Example: ./headroom backtest --site docs/examples/site.yaml --prices docs/examples/market/energy-rt.csv"
                    + " --hashprice docs/examples/market/hashprice.csv --from 2026-11-01T00:00:00Z"
                    + " --to 2026-11-08T00:00:00Z"
        })
final class BacktestCommand implements Callable<Integer> {
    static final int VIOLATIONS = 1;
    static final int BAD_INPUT = 2;

    private static final Pattern STEP = Pattern.compile("(\\d{1,6})(s|m|min)?");

    @Spec
    CommandSpec spec;

    @Option(names = "--site", required = true, description = "The site file (site.yaml).")
    Path site;

    @Option(names = "--prices", required = true, description = "Real-time energy prices, CSV time,value (USD/MWh).")
    Path prices;

    @Option(
            names = "--hashprice",
            description = "Hashprice, CSV time,value (USD per PH/s per day); without it a constant "
                    + BacktestInputs.DEFAULT_HASHPRICE + ", stated in the report.")
    Path hashprice;

    @Option(names = "--reservations", description = "Reservations, a YAML list in the API's form.")
    Path reservations;

    @Option(names = "--from", required = true, description = "ISO-8601 start, e.g. 2026-11-01T00:00:00Z.")
    String from;

    @Option(names = "--to", required = true, description = "ISO-8601 end (exclusive).")
    String to;

    /** 30 s, not 10: a simulated month of all three runs takes ~40 s at 30 s and ~2 min at 10 s (docs/backtest.md). */
    @Option(
            names = "--step",
            defaultValue = "30s",
            description = "Simulated step and engine tick: 1s to 5m (default 30s; 10s is closer, and 3 times slower).")
    String step;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the simulated miners and noise (default 1).")
    long seed;

    @Option(names = "--json", description = "Also write the report as JSON to this file.")
    Path json;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        try {
            BacktestInputs inputs = BacktestInputs.load(
                    site,
                    prices,
                    hashprice,
                    reservations,
                    instant("--from", from),
                    instant("--to", to),
                    step(step),
                    seed);
            BacktestReport report = Backtest.run(inputs);
            if (json != null) {
                try {
                    Files.writeString(json, report.toJson() + "\n", StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new BacktestException("--json " + json + ": cannot write: " + e.getMessage());
                }
            }
            out.print(report.toText());
            out.flush();
            return report.runs().stream().anyMatch(r -> r.limitViolations() > 0) ? VIOLATIONS : 0;
        } catch (BacktestException e) {
            err.println("headroom backtest: " + e.getMessage());
            return BAD_INPUT;
        }
    }

    private static Instant instant(String option, String text) throws BacktestException {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new BacktestException(
                    option + " '" + clip(text) + "' is not an ISO-8601 instant like 2026-11-01T00:00:00Z");
        }
    }

    static Duration step(String text) throws BacktestException {
        Matcher m = STEP.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new BacktestException("--step '" + clip(text) + "' is not a duration like 10s or 1m");
        }
        long n = Long.parseLong(m.group(1));
        return m.group(2) == null || m.group(2).equals("s") ? Duration.ofSeconds(n) : Duration.ofMinutes(n);
    }

    private static String clip(String text) {
        return text.length() > 60 ? text.substring(0, 60) + "…" : text;
    }
}
