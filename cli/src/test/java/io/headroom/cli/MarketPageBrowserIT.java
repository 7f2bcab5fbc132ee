package io.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page's Market and Backtest sections in Debian's Chromium. Against a demo site with the demo's
 * calm market, the market section shows the numbers of the real {@code GET /api/v1/market} and
 * {@code /summary} (each input fresh, each model mining with its break-even, the ledger's hours);
 * a controller without a market, and one that fails, are said in words. A report written by the
 * real {@code headroom backtest --json}, chosen in the file input, is drawn (one line per run) with
 * its totals; a malformed, a non-JSON and an oversize file are refused with what is wrong, and a
 * hostile strategy name stays text.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MarketPageBrowserIT {
    private static final Duration PAGE_WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final DateTimeFormatter UTC =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

    /**
     * Wraps the page's fetch so each market answer is kept as the page received it, then polls the
     * section once and returns those answers beside the rows it rendered.
     */
    private static final String POLL_MARKET = "(function () {"
            + " if (!window.__marketSpy) { var real = window.fetch; window.__market = {}; window.__marketSpy = true;"
            + "  window.fetch = function (url, options) { return real(url, options).then(function (r) {"
            + "   var u = String(url); if (u.indexOf('/api/v1/market') !== 0) { return r; }"
            + "   return r.clone().json().then(function (b) { window.__market[u.split('?')[0]] = b; return r; }); }); }; }"
            + " function rows(sel) { return Array.from(document.querySelectorAll(sel)).map(function (tr) {"
            + "  return Array.from(tr.cells).map(function (c) { return c.textContent; }); }); }"
            + " return window.HeadroomMarket.refresh().then(function () { return {"
            + "  market: window.__market['/api/v1/market'], summary: window.__market['/api/v1/market/summary'],"
            + "  status: document.getElementById('market-status').textContent,"
            + "  inputs: rows('#market-inputs tbody tr'), models: rows('#market-models tbody tr'),"
            + "  hours: rows('#market-hours tbody tr'), total: rows('#market-hours tfoot tr') }; }); })()";

    @TempDir
    static Path workDir;

    private static HeadlessChromium chromium;
    private static DemoSite demo;
    private static Path report;

    @BeforeAll
    static void startSite() throws Exception {
        chromium = HeadlessChromium.require(workDir);
        demo = DemoSite.start(
                new DemoOptions("market-page", 2, 1, "127.0.0.1", 0, 0, 5L, Duration.ofSeconds(1), workDir));
        // A real report: the backtest command over three hours of the shipped sample, at its coarsest step (fast).
        report = workDir.resolve("report.json");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Headroom.commandLine()
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(
                        "backtest",
                        "--site",
                        "../docs/examples/site.yaml",
                        "--prices",
                        "../docs/examples/market/energy-rt.csv",
                        "--hashprice",
                        "../docs/examples/market/hashprice.csv",
                        "--from",
                        "2026-11-05T16:00:00Z",
                        "--to",
                        "2026-11-05T19:00:00Z",
                        "--step",
                        "5m",
                        "--json",
                        report.toString());
        assertThat(exit).as(err.toString()).isZero();
    }

    @AfterAll
    static void stopSite() {
        if (demo != null) {
            demo.close();
        }
    }

    private static BrowserPage signedIn() throws Exception {
        BrowserPage browser = chromium.open(Addresses.http(demo.controller().httpAddress()));
        try {
            browser.awaitTrue("!document.getElementById('login').hidden", PAGE_WAIT);
            // A browser without EventSource: the page polls the market, the path these tests drive answer by
            // answer (the stream's market events would replace what they fake; SiteViewBrowserIT streams it).
            browser.evaluate("window.EventSource = undefined; true");
            browser.type("login-name", DemoSite.VIEWER);
            browser.type("login-password", demo.apiPassword(DemoSite.VIEWER));
            browser.click("login-submit");
            browser.awaitTrue("!document.getElementById('market-body').hidden", PAGE_WAIT);
            return browser;
        } catch (Exception | AssertionError e) {
            browser.close();
            throw e;
        }
    }

    @Test
    void theMarketSection_showsTheApisNumbers_andSaysWhenThereIsNoMarket() throws Exception {
        try (BrowserPage browser = signedIn()) {
            // Until the engine has measured the miners there is no break-even to show; then page and answer agree.
            JsonNode[] seen = new JsonNode[1];
            await().atMost(PAGE_WAIT).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
                JsonNode poll = browser.evaluate(POLL_MARKET);
                seen[0] = poll;
                JsonNode market = poll.path("market");
                assertThat(market.path("models")).isNotEmpty();
                assertThat(withoutAges(texts(poll.path("inputs")))).isEqualTo(expectedInputs(market));
                assertThat(texts(poll.path("models"))).isEqualTo(expectedModels(market));
                JsonNode hours = poll.path("summary").path("hours");
                assertThat(hours).isNotEmpty();
                List<String> hourLabels = new ArrayList<>();
                for (int i = hours.size() - 1; i >= 0; i--) {
                    hourLabels.add(utc(hours.get(i).path("hour").asText()));
                }
                assertThat(firstCells(poll.path("hours"))).isEqualTo(hourLabels);
                JsonNode total = poll.path("summary").path("total");
                assertThat(texts(poll.path("total")))
                        .isEqualTo(List.of(List.of(
                                "Total, " + hours.size() + (hours.size() == 1 ? " hour" : " hours"),
                                f(total.path("energy_kwh").asDouble(), 1),
                                f(total.path("energy_cost_usd").asDouble(), 2),
                                f(total.path("hash_revenue_usd").asDouble(), 2),
                                f(total.path("ai_kwh").asDouble(), 1),
                                f(total.path("ai_revenue_usd").asDouble(), 2),
                                f(total.path("curtailed_mwh").asDouble(), 3),
                                f(total.path("margin_usd").asDouble(), 2),
                                f(total.path("counterfactual_margin_usd").asDouble(), 2),
                                f(total.path("gain_usd").asDouble(), 2),
                                duration(total.path("unpriced_seconds").asDouble()))));
                assertThat(poll.path("status").asText())
                        .startsWith("Policy: prices · strike price (energy-rt) "
                                + f(market.path("strike_price_usd_per_mwh").asDouble(), 2) + " USD/MWh"
                                + " · nothing struck");
            });
            // What the page was given is what the API answers: the same inputs, rules and models.
            JsonNode api = get("api/v1/market");
            assertThat(seen[0].path("market").path("inputs").findValuesAsText("input"))
                    .isEqualTo(api.path("inputs").findValuesAsText("input"))
                    .containsExactlyInAnyOrder("hashprice", "energy-rt", "ai-capacity");
            JsonNode rules = seen[0].path("market").path("rules");
            assertThat(rules.path("margin_usd_per_mwh").asDouble())
                    .isEqualTo(api.path("rules").path("margin_usd_per_mwh").asDouble())
                    .isEqualTo(5.0);
            assertThat(rules.path("curtail_after_intervals").asInt())
                    .isEqualTo(api.path("rules").path("curtail_after_intervals").asInt())
                    .isEqualTo(3);
            assertThat(seen[0].path("market").path("models").findValuesAsText("model"))
                    .isEqualTo(api.path("models").findValuesAsText("model"));
            assertThat(api.path("strikes"))
                    .as("calm demo prices strike nothing")
                    .isEmpty();
            browser.saveView("market.png", "market-section");

            // A controller without a market section answers 404 with its reason; the page says it.
            String noMarket = "{\"error\":\"no market: add a 'market' section to controller.yaml (docs/market.md)\"}";
            browser.evaluate("window.fetch = function () { return Promise.resolve(new Response("
                    + JSON.writeValueAsString(noMarket) + ", {status: 404}));"
                    + " }; window.HeadroomMarket.refresh().then(function () { return true; })");
            // A poll begun before the stub may still land; the page's next polls get the stub as well.
            browser.awaitTrue(
                    "document.getElementById('market-status').textContent === "
                            + JSON.writeValueAsString(
                                    "No market configured: add a 'market' section to controller.yaml (docs/market.md)."),
                    PAGE_WAIT);
            assertThat(browser.evaluate("document.getElementById('market-body').hidden")
                            .asBoolean())
                    .isTrue();
            // A failing API is said in words too.
            browser.evaluate("window.fetch = function () { return Promise.resolve(new Response('{}', {status: 503}));"
                    + " }; window.HeadroomMarket.refresh().then(function () { return true; })");
            browser.awaitTrue(
                    "document.getElementById('market-status').textContent === "
                            + JSON.writeValueAsString(
                                    "Cannot read the market (HTTP 503); the values below may be out of date."),
                    PAGE_WAIT);
        }
    }

    @Test
    void aBacktestReport_isChartedWithItsTotals_andABadFileIsRefusedWithWhatIsWrong() throws Exception {
        JsonNode json = JSON.readTree(report.toFile());
        try (BrowserPage browser = signedIn()) {
            browser.chooseFile("backtest-file", report);
            browser.awaitTrue("!document.getElementById('backtest-result').hidden", PAGE_WAIT);

            // One line per run, plus the energy price; each a path through every hour.
            JsonNode lines = browser.evaluate("Array.from(document.querySelectorAll('#backtest-chart path')).map("
                    + "function (p) { return {run: p.dataset.run, points: (p.getAttribute('d').match(/[ML]/g) || []).length};"
                    + " })");
            List<String> runs = json.path("runs").findValuesAsText("strategy");
            assertThat(runs).containsExactly("headroom", "always-on", "fixed-strike");
            assertThat(lines.findValuesAsText("run"))
                    .containsExactly("headroom", "always-on", "fixed-strike", "energy-price");
            assertThat(lines.findValues("points"))
                    .allSatisfy(n -> assertThat(n.asInt()).isEqualTo(3)); // 16:00, 17:00, 18:00
            assertThat(browser.evaluate("document.getElementById('backtest-chart').getAttribute('role')")
                            .asText())
                    .isEqualTo("img");

            List<List<String>> expected = new ArrayList<>();
            expected.add(headerAnd("Total", runs));
            expected.add(row(json, "Energy (MWh)", "energy_mwh", 3));
            expected.add(row(json, "Energy cost (USD)", "energy_cost_usd", 2));
            expected.add(row(json, "Hash revenue (USD)", "hash_revenue_usd", 2));
            expected.add(row(json, "Margin (USD)", "margin_usd", 2));
            expected.add(row(json, "Curtailed (MWh)", "curtailed_mwh", 3));
            expected.add(row(json, "Limit violations", "limit_violations", 0));
            expected.add(row(json, "Commands sent", "commands", 0));
            expected.add(List.of("Reservations met", "0 of 0", "0 of 0", "0 of 0"));
            assertThat(
                            texts(
                                    browser.evaluate(
                                            "Array.from(document.querySelectorAll('#backtest-totals tr')).map("
                                                    + "function (tr) { return Array.from(tr.cells).map(function (c) { return c.textContent; }); })")))
                    .isEqualTo(expected);
            // Keyboard: the metric is a select; another metric redraws the same runs.
            browser.evaluate("var s = document.getElementById('backtest-metric'); s.value = 'curtailed_mwh';"
                    + " s.dispatchEvent(new Event('change')); true");
            assertThat(browser.evaluate("document.querySelector('#backtest-chart title').textContent")
                            .asText())
                    .startsWith("Curtailed per hour (MWh) of headroom, always-on, fixed-strike");
            browser.saveView("backtest.png", "backtest-section");

            // Malformed: valid JSON, not a report.
            Path malformed = workDir.resolve("malformed.json");
            ObjectNode partial = JSON.createObjectNode().put("site", "x");
            Files.writeString(malformed, partial.toString(), StandardCharsets.UTF_8);
            choose(browser, malformed);
            assertThat(error(browser))
                    .isEqualTo("malformed.json is not a backtest report: from: missing or not a string"
                            + " (is this a headroom backtest --json report?)");
            assertThat(browser.evaluate("document.getElementById('backtest-result').hidden")
                            .asBoolean())
                    .isTrue();

            // A report without the hourly series names the field and what to do.
            ObjectNode old = (ObjectNode) json.deepCopy();
            ((ObjectNode) old.path("runs").get(1)).remove("hourly");
            Path older = workDir.resolve("older.json");
            Files.writeString(older, old.toString(), StandardCharsets.UTF_8);
            choose(browser, older);
            assertThat(error(browser))
                    .isEqualTo("older.json is not a backtest report: runs[1].hourly: missing: the report has no"
                            + " hourly series (written by an older headroom backtest? run it again)");

            Path garbage = workDir.resolve("garbage.json");
            Files.write(garbage, new byte[] {(byte) 0xff, '{', '"', 0, '\n'});
            choose(browser, garbage);
            assertThat(error(browser)).startsWith("garbage.json is not a backtest report: not JSON (");

            Path huge = workDir.resolve("huge.json");
            Files.write(huge, new byte[17 * 1024 * 1024]);
            choose(browser, huge);
            assertThat(error(browser))
                    .isEqualTo("huge.json is not a backtest report: it is 17 MiB; a report is at most 16 MiB");

            // A hostile strategy name is shown as text, never run.
            ObjectNode hostile = (ObjectNode) json.deepCopy();
            ((ObjectNode) hostile.path("runs").get(0)).put("strategy", "<img src=x onerror=window.pwned=1>");
            Path evil = workDir.resolve("hostile.json");
            Files.writeString(evil, hostile.toString(), StandardCharsets.UTF_8);
            choose(browser, evil);
            browser.awaitTrue("!document.getElementById('backtest-result').hidden", PAGE_WAIT);
            assertThat(browser.evaluate("document.querySelector('#backtest-totals thead th:nth-child(2)').textContent")
                            .asText())
                    .isEqualTo("<img src=x onerror=window.pwned=1>");
            assertThat(browser.evaluate("document.querySelectorAll('#backtest-section img').length")
                            .asInt())
                    .isZero();
            assertThat(browser.evaluate("window.pwned === undefined").asBoolean())
                    .isTrue();
        }
    }

    /** Chooses {@code file} and waits until the page has read it. */
    private static void choose(BrowserPage browser, Path file) throws Exception {
        browser.evaluate("window.HeadroomBacktest.opened = null; true");
        browser.chooseFile("backtest-file", file);
        browser.awaitTrue("window.HeadroomBacktest.opened !== null", PAGE_WAIT);
        browser.evaluate("window.HeadroomBacktest.opened.then(function () { return true; })");
    }

    private static String error(BrowserPage browser) throws Exception {
        assertThat(browser.evaluate("document.getElementById('backtest-error').hidden")
                        .asBoolean())
                .isFalse();
        return browser.evaluate("document.getElementById('backtest-error').textContent")
                .asText();
    }

    private static List<String> headerAnd(String first, List<String> rest) {
        List<String> out = new ArrayList<>();
        out.add(first);
        out.addAll(rest);
        return out;
    }

    private static List<String> row(JsonNode json, String label, String field, int digits) {
        List<String> out = new ArrayList<>();
        out.add(label);
        json.path("runs").forEach(run -> out.add(f(run.path(field).asDouble(), digits)));
        return out;
    }

    /** The inputs table as market.js should write it from {@code market}, the ages left out. */
    private static List<List<String>> expectedInputs(JsonNode market) {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode input : market.path("inputs")) {
            rows.add(List.of(
                    input.path("input").asText(),
                    f(input.path("value").asDouble(), 2) + " "
                            + input.path("unit").asText(),
                    utc(input.path("time").asText()),
                    "(age)",
                    duration(input.path("max_age_seconds").asDouble()),
                    "fresh",
                    input.path("source").asText()));
        }
        return rows;
    }

    private static List<List<String>> expectedModels(JsonNode market) {
        double margin = market.path("rules").path("margin_usd_per_mwh").asDouble();
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode m : market.path("models")) {
            rows.add(List.of(
                    m.path("model").asText(),
                    f(m.path("j_per_th").asDouble(), 1) + " J/TH ("
                            + m.path("efficiency_source").asText() + ")",
                    f(m.path("hashprice_usd_per_ph_day").asDouble(), 2) + " USD/PH/day",
                    f(m.path("revenue_usd_per_kwh").asDouble(), 4) + " USD/kWh",
                    f(m.path("break_even_usd_per_mwh").asDouble(), 2) + " USD/MWh",
                    "mining (struck above " + f(m.path("break_even_usd_per_mwh").asDouble() + margin, 2)
                            + " USD/MWh for "
                            + market.path("rules")
                                    .path("curtail_after_intervals")
                                    .asInt()
                            + " intervals)"));
        }
        return rows;
    }

    /** The inputs' rows with each age (which moves between poll and read) as {@code (age)}. */
    private static List<List<String>> withoutAges(List<List<String>> rows) {
        List<List<String>> out = new ArrayList<>();
        for (List<String> row : rows) {
            List<String> copy = new ArrayList<>(row);
            copy.set(3, "(age)");
            out.add(copy);
        }
        return out;
    }

    /** As market.js writes a duration: "42 s", "12 min", "3 h 05 min", "2 d 0 h". */
    private static String duration(double seconds) {
        long s = Math.max(0, Math.round(seconds));
        if (s < 120) {
            return s + " s";
        }
        long minutes = s / 60;
        if (minutes < 60) {
            return minutes + " min";
        }
        long hours = minutes / 60;
        if (hours < 48) {
            return hours + " h " + String.format(Locale.ROOT, "%02d", minutes % 60) + " min";
        }
        return hours / 24 + " d " + hours % 24 + " h";
    }

    private static List<List<String>> texts(JsonNode rows) {
        List<List<String>> out = new ArrayList<>();
        for (JsonNode row : rows) {
            List<String> cells = new ArrayList<>();
            row.forEach(c -> cells.add(c.asText()));
            out.add(cells);
        }
        return out;
    }

    private static List<String> firstCells(JsonNode rows) {
        List<String> out = new ArrayList<>();
        rows.forEach(r -> out.add(r.get(0).asText()));
        return out;
    }

    private static String utc(String iso) {
        return UTC.format(Instant.parse(iso));
    }

    /** As JavaScript's toFixed rounds (the exact binary value, half up), without a sign on zero. */
    private static String f(double value, int digits) {
        return new java.math.BigDecimal(value)
                .setScale(digits, java.math.RoundingMode.HALF_UP)
                .toPlainString();
    }

    private static JsonNode get(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(
                                URI.create(Addresses.http(demo.controller().httpAddress()) + path))
                        .header("Authorization", DemoSiteIT.basic(demo, DemoSite.VIEWER))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode())
                .as("GET %s: %s", path, response.body())
                .isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
