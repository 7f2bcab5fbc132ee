package io.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code headroom backtest} from the shell: the report, its JSON, and one clear line with exit 2 for bad input. */
class BacktestCommandTest {

    private static final String SITE = "../docs/examples/site.yaml";
    private static final String PRICES = "../docs/examples/market/energy-rt.csv";

    @TempDir
    Path dir;

    private record Result(int exit, String out, String err) {}

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Headroom.commandLine()
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    private static String[] args(String... extra) {
        String[] base = {
            "backtest",
            "--site",
            SITE,
            "--prices",
            PRICES,
            "--from",
            "2026-11-05T00:00:00Z",
            "--to",
            "2026-11-05T01:00:00Z"
        };
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return all;
    }

    @Test
    void printsTheReportAndWritesTheSameAsJson() throws Exception {
        Path json = dir.resolve("report.json");

        Result result = run(args("--json", json.toString(), "--seed", "4"));

        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.out())
                .contains("headroom", "always-on", "fixed-strike", "margin USD", "limit violations")
                .contains("hashprice: constant 50.0 USD/PH/day (no --hashprice given)");
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        assertThat(report.path("seed").asLong()).isEqualTo(4);
        assertThat(report.path("step_seconds").asLong()).isEqualTo(30);
        assertThat(report.path("runs")).hasSize(3);
        JsonNode headroom = report.path("runs").get(0);
        assertThat(headroom.path("strategy").asText()).isEqualTo("headroom");
        assertThat(headroom.path("ticks").asLong()).isEqualTo(120);
        assertThat(headroom.path("limit_violations").asLong()).isZero();
        assertThat(result.out())
                .contains(String.format(
                        java.util.Locale.ROOT,
                        "%.2f",
                        headroom.path("margin_usd").asDouble()));
    }

    @Test
    void aMissingFileIsOneLineAndExit2() {
        Result result = run(
                "backtest",
                "--site",
                SITE,
                "--prices",
                dir.resolve("nope.csv").toString(),
                "--from",
                "2026-11-05T00:00:00Z",
                "--to",
                "2026-11-05T01:00:00Z");

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err().strip())
                .isEqualTo("headroom backtest: prices file " + dir.resolve("nope.csv") + ": no such file");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void aMissingSiteFileIsExit2() {
        Result result = run(
                "backtest",
                "--site",
                dir.resolve("site.yaml").toString(),
                "--prices",
                PRICES,
                "--from",
                "2026-11-05T00:00:00Z",
                "--to",
                "2026-11-05T01:00:00Z");

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err())
                .startsWith("headroom backtest: site file ")
                .contains("no such file")
                .doesNotContain("Exception");
    }

    @Test
    void aBadCsvRowNamesTheFileAndLine() throws Exception {
        Path prices = Files.writeString(
                dir.resolve("bad.csv"), "time,value\n2026-11-05T00:00:00Z,31.5\n2026-11-05T00:05:00Z,thirty\n");

        Result result = run(
                "backtest",
                "--site",
                SITE,
                "--prices",
                prices.toString(),
                "--from",
                "2026-11-05T00:00:00Z",
                "--to",
                "2026-11-05T01:00:00Z");

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err())
                .startsWith("headroom backtest: prices file ")
                .contains("bad.csv:3")
                .doesNotContain("\tat ");
        assertThat(result.err().strip().lines()).hasSize(1);
    }

    @Test
    void garbageInsteadOfCsvIsExit2() throws Exception {
        Path prices = Files.write(dir.resolve("garbage.csv"), new byte[] {0, (byte) 0xff, 10, 13, 0x7f, 1, 2, 3});

        Result result = run(
                "backtest",
                "--site",
                SITE,
                "--prices",
                prices.toString(),
                "--from",
                "2026-11-05T00:00:00Z",
                "--to",
                "2026-11-05T01:00:00Z");

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err().strip()).isEqualTo("headroom backtest: prices file " + prices + ": not UTF-8 text");
    }

    @Test
    void fromAfterToIsExit2() {
        Result result = run(
                "backtest",
                "--site",
                SITE,
                "--prices",
                PRICES,
                "--from",
                "2026-11-05T02:00:00Z",
                "--to",
                "2026-11-05T01:00:00Z");

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err().strip())
                .isEqualTo("headroom backtest: --from 2026-11-05T02:00:00Z must be before --to 2026-11-05T01:00:00Z");
    }

    @Test
    void aBadInstantOrStepIsExit2() {
        assertThat(run(args("--step", "fast")).err()).contains("--step 'fast' is not a duration");
        Result result = run(
                "backtest", "--site", SITE, "--prices", PRICES, "--from", "yesterday", "--to", "2026-11-05T01:00:00Z");
        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).contains("--from 'yesterday' is not an ISO-8601 instant");
        assertThat(run(args("--step", "0s")).exit()).isEqualTo(2);
    }

    @Test
    void aRangeWithoutPricesIsExit2() {
        Result result = run(
                "backtest",
                "--site",
                SITE,
                "--prices",
                PRICES,
                "--from",
                "2025-01-01T00:00:00Z",
                "--to",
                "2025-01-02T00:00:00Z");

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).contains("no price at or before --from 2025-01-01T00:00:00Z");
    }

    @Test
    void pricesEndingLongBeforeToAreExit2() {
        Result result = run(
                "backtest",
                "--site",
                SITE,
                "--prices",
                PRICES,
                "--from",
                "2026-11-30T00:00:00Z",
                "--to",
                "2026-12-02T00:00:00Z");

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).contains("ends at 2026-11-30T23:55:00Z, more than 2 h before --to");
    }

    @Test
    void aReservationWithAScopeTheSiteLacksIsExit2() throws Exception {
        Path reservations = Files.writeString(
                dir.resolve("r.yaml"),
                "- {kw: 10, scope: {kind: feed, id: feed-9}, start: 2026-11-05T00:30:00Z, end: 2026-11-05T00:50:00Z}\n");

        Result result = run(args("--reservations", reservations.toString()));

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err().strip())
                .isEqualTo("headroom backtest: reservations file " + reservations
                        + ": reservation 1: the site has no feed 'feed-9'");
    }

    @Test
    void aMalformedReservationsFileIsExit2() throws Exception {
        Path notAList = Files.writeString(dir.resolve("a.yaml"), "kw: 10\n");
        Path badField = Files.writeString(
                dir.resolve("b.yaml"), "- {kw: -1, scope: {kind: feed, id: feed-1}, start: soon, end: later}\n");
        Path broken = Files.writeString(dir.resolve("c.yaml"), "- {kw: [\n");

        assertThat(run(args("--reservations", notAList.toString())).err()).contains("expected a list of reservations");
        Result bad = run(args("--reservations", badField.toString()));
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err())
                .contains("reservation 1: ")
                .contains("kw: must be above 0")
                .contains("start");
        Result yaml = run(args("--reservations", broken.toString()));
        assertThat(yaml.exit()).isEqualTo(2);
        assertThat(yaml.err())
                .startsWith("headroom backtest: reservations file ")
                .doesNotContain("\tat ");
    }
}
