package io.headroom.cli.backtest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.List;
import java.util.Locale;

/**
 * A backtest's report: the inputs it ran on and one {@link RunReport} per strategy, Headroom first,
 * then the two baselines. The same inputs give the same report, to the byte.
 *
 * @param hashprice the hashprice file, or the constant used (stated)
 * @param stepSeconds the simulated step
 */
public record BacktestReport(
        String site,
        String from,
        String to,
        long stepSeconds,
        long seed,
        String hashprice,
        String model,
        List<RunReport> runs) {

    public BacktestReport {
        runs = List.copyOf(runs);
    }

    /** The run of one strategy. */
    public RunReport run(Strategy strategy) {
        return runs.stream()
                .filter(r -> r.strategy().equals(strategy.wireName()))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no run " + strategy.wireName()));
    }

    /** The report as JSON (snake_case fields, fixed order). */
    public String toJson() {
        try {
            return new ObjectMapper()
                    .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(this);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a report always serializes", e);
        }
    }

    /** The report as text for a terminal: one column per run. */
    public String toText() {
        StringBuilder out = new StringBuilder();
        out.append("Backtest of ")
                .append(site)
                .append(", ")
                .append(from)
                .append(" .. ")
                .append(to);
        out.append(", step ")
                .append(stepSeconds)
                .append(" s, seed ")
                .append(seed)
                .append('\n');
        out.append("hashprice: ").append(hashprice).append('\n');
        out.append("model: ").append(model).append("\n\n");
        out.append(String.format(Locale.ROOT, "%-24s", ""));
        for (RunReport run : runs) {
            out.append(String.format(Locale.ROOT, "%16s", run.strategy()));
        }
        out.append('\n');
        row(out, "energy MWh", r -> r.energyMwh());
        row(out, "energy cost USD", r -> r.energyCostUsd());
        row(out, "hash revenue USD", r -> r.hashRevenueUsd());
        row(out, "margin USD", r -> r.marginUsd());
        row(out, "curtailed MWh", r -> r.curtailedMwh());
        row(out, "commands sent", r -> (double) r.commands());
        row(out, "limit violations", r -> (double) r.limitViolations());
        row(out, "reservations met", r -> (double) r.reservationsMet());
        row(out, "reservations asked", r -> (double) r.reservations().size());
        row(out, "unpriced hours", r -> r.unpricedHours());
        for (RunReport run : runs) {
            for (ReservationOutcome o : run.reservations()) {
                out.append(run.strategy())
                        .append(" reservation ")
                        .append(o.reservation())
                        .append(": ");
                out.append(String.format(Locale.ROOT, "%.1f kW, %s", o.kw(), o.state()));
                if (!o.heldAt().isEmpty()) {
                    out.append(", held at ").append(o.heldAt());
                }
                if (o.minFreedKw() != null) {
                    out.append(String.format(Locale.ROOT, ", min freed %.1f kW", o.minFreedKw()));
                }
                out.append(o.met() ? ": met" : ": NOT met");
                out.append(o.note().isEmpty() ? "" : " (" + o.note() + ")").append('\n');
            }
            for (String v : run.firstViolations()) {
                out.append(run.strategy()).append(" violation: ").append(v).append('\n');
            }
        }
        return out.toString();
    }

    private void row(StringBuilder out, String name, java.util.function.ToDoubleFunction<RunReport> value) {
        out.append(String.format(Locale.ROOT, "%-24s", name));
        for (RunReport run : runs) {
            double v = value.applyAsDouble(run);
            out.append(
                    v == Math.rint(v) && Math.abs(v) < 1e15
                            ? String.format(Locale.ROOT, "%16d", (long) v)
                            : String.format(Locale.ROOT, "%16.2f", v));
        }
        out.append('\n');
    }
}
