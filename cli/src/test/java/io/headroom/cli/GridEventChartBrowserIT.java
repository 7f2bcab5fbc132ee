package io.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The active grid event's chart and its Edit… form in Debian's Chromium, against the simulated tight site of
 * {@link SiteViewBrowserIT}: an operator starts an event from the page, the chart's points (its table for screen
 * readers) are the compliance samples {@code GET /api/v1/grid-events/{id}} answers, and an edit of the target from
 * the page shows the new target, by the stream, the chart growing with no GET of the grid events; a viewer sees no
 * Edit… button. A reservation's Edit… form
 * changes its capacity the same way.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class GridEventChartBrowserIT {
    private static final Duration PAGE_WAIT = Duration.ofSeconds(20);
    /** Two samples at the book's one per 5 s, with room for a slow machine. */
    private static final Duration SAMPLES_WAIT = Duration.ofSeconds(40);

    private static final String CHART_ROWS = "Array.from(document.querySelectorAll('#grid-chart-points tbody tr')).map("
            + "function (tr) { return {at: tr.dataset.at,"
            + " cells: Array.from(tr.cells).map(function (td) { return td.textContent; })}; })";

    /** Counts the page's GETs of the grid-event endpoints: while the stream is live there must be none. */
    private static final String COUNT_GRID_GETS = "(function () { window.gridGets = 0; var real = window.fetch;"
            + " window.fetch = function (input, init) { var method = (init && init.method) || 'GET';"
            + "  if (method === 'GET' && /^\\/api\\/v1\\/grid-events/.test(String(input))) { window.gridGets++; }"
            + "  return real.apply(this, arguments); };"
            + " return true; }())";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path workDir;

    private static HeadlessChromium chromium;
    private static DemoSite demo;
    private static String page;

    @BeforeAll
    static void startSite() throws Exception {
        chromium = HeadlessChromium.require(workDir);
        demo = DemoSite.start(
                new DemoOptions("tight-site", 4, 2, "127.0.0.1", 0, 0, 13L, Duration.ofSeconds(1), workDir, 0.07));
        page = Addresses.http(demo.controller().httpAddress());
        // The site's load measured, so that the event has a baseline and the chart samples.
        await().atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> !get("api/v1/site").path("source").asText().equals("unknown"));
    }

    @AfterAll
    static void stopSite() {
        if (demo != null) {
            demo.close();
        }
    }

    private static BrowserPage signedIn(String user) throws Exception {
        BrowserPage browser = chromium.open(page);
        try {
            browser.awaitTrue("!document.getElementById('login').hidden", PAGE_WAIT);
            browser.type("login-name", user);
            browser.type("login-password", demo.apiPassword(user));
            browser.click("login-submit");
            browser.awaitTrue(
                    "document.getElementById('login').hidden"
                            + " && document.querySelector('main').dataset.stream === 'live'"
                            + " && (document.getElementById('grid-none').textContent !== 'Loading…'"
                            + " || document.getElementById('grid-active').getClientRects().length > 0)",
                    PAGE_WAIT);
            return browser;
        } catch (Exception | AssertionError e) {
            browser.close();
            throw e;
        }
    }

    @Test
    void chartShowsTheApisSamples_andAnEditOfTheTargetShows() throws Exception {
        String id = null;
        try (BrowserPage browser = signedIn(DemoSite.OPERATOR)) {
            browser.evaluate(COUNT_GRID_GETS);
            // Below the site's load, so that the target ramps down to it and the engine sheds.
            double load = get("api/v1/site").path("load_kw").asDouble();
            double target = Math.floor(load * 0.8 * 10) / 10;
            browser.type("grid-mode", "target_kw");
            browser.type("grid-value", String.valueOf(target));
            browser.type("grid-duration", "10");
            browser.type("grid-ramp", "300");
            browser.click("grid-submit");
            browser.awaitTrue("document.getElementById('grid-active').getClientRects().length > 0", PAGE_WAIT);
            id = browser.evaluate("document.getElementById('grid-id').textContent.split(' ')[0]")
                    .asText();

            browser.awaitTrue("Number(document.getElementById('grid-chart').dataset.points) >= 2", SAMPLES_WAIT);
            JsonNode rows = browser.evaluate(CHART_ROWS);
            JsonNode event = get("api/v1/grid-events/" + id);
            Map<String, JsonNode> samples = new HashMap<>();
            event.path("compliance").forEach(s -> samples.put(s.path("at").asText(), s));
            Instant last = Instant.parse(rows.get(rows.size() - 1).path("at").asText());
            long upToLast = samples.keySet().stream()
                    .filter(at -> !Instant.parse(at).isAfter(last))
                    .count();
            assertThat(rows.size())
                    .as("every sample of the API up to the chart's last, none more")
                    .isEqualTo((int) upToLast);
            for (JsonNode row : rows) {
                JsonNode sample = samples.get(row.path("at").asText());
                assertThat(sample).as("the API's sample at %s", row.path("at")).isNotNull();
                // Time, Site load, Source, Target.
                assertThat(kw(row.path("cells").get(1).asText()))
                        .isCloseTo(sample.path("site_load_kw").asDouble(), within(0.051));
                assertThat(row.path("cells").get(2).asText())
                        .isEqualTo(sample.path("metered").asBoolean() ? "metered" : "not metered (estimated)");
                assertThat(kw(row.path("cells").get(3).asText()))
                        .isCloseTo(sample.path("target_kw").asDouble(), within(0.051));
            }
            assertThat(browser.evaluate("document.getElementById('grid-chart-load').dataset.vertices")
                            .asInt())
                    .as("one vertex of the load line per point")
                    .isEqualTo(rows.size());
            assertThat(browser.evaluate("document.getElementById('grid-chart-final') !== null"
                                    + " && document.getElementById('grid-chart-deadline') !== null")
                            .asBoolean())
                    .as("the final target and the deadline marked")
                    .isTrue();
            assertThat(browser.evaluate("document.getElementById('grid-chart').textContent")
                            .asText())
                    .contains(" kW")
                    .contains("final target " + String.format(Locale.ROOT, target < 10 ? "%.2f" : "%.1f", target))
                    .contains("deadline ");
            assertThat(shown(browser, "grid-chart")).as("the chart is drawn").isTrue();

            // The operator edits the target; the form opens with the event's values.
            browser.click("grid-edit");
            browser.awaitTrue("document.getElementById('grid-edit-form').getClientRects().length > 0", PAGE_WAIT);
            assertThat(Double.parseDouble(browser.evaluate("document.getElementById('grid-edit-value').value")
                            .asText()))
                    .isEqualTo(target);
            assertThat(browser.evaluate("document.getElementById('grid-edit-ramp').value")
                            .asText())
                    .isEqualTo("300");
            double edited = Math.floor(target * 0.9 * 10) / 10;
            browser.type("grid-edit-value", String.valueOf(edited));
            browser.click("grid-edit-submit");
            String shown = String.format(Locale.ROOT, edited < 10 ? "%.2f kW" : "%.1f kW", edited);
            browser.awaitTrue(
                    "document.getElementById('grid-target').textContent.indexOf(" + JSON.writeValueAsString(shown)
                            + ") === 0",
                    PAGE_WAIT);
            assertThat(browser.evaluate("document.getElementById('grid-edit-status').textContent")
                            .asText())
                    .startsWith("Saved: grid event " + id + " is at revision 2, target " + shown);
            assertThat(shown(browser, "grid-edit-form")).isFalse();
            JsonNode after = get("api/v1/grid-events/" + id);
            assertThat(after.path("target_kw").asDouble()).isEqualTo(edited);
            assertThat(after.path("revision").asInt()).isEqualTo(2);
            assertThat(after.path("ramp_seconds").asInt())
                    .as("only the field changed is sent")
                    .isEqualTo(300);
            // The chart grows with the stream's samples, the edited target among them, and nothing is polled.
            browser.awaitTrue(
                    "Number(document.getElementById('grid-chart').dataset.points) > " + rows.size(), SAMPLES_WAIT);
            assertThat(browser.evaluate("window.gridGets").asInt())
                    .as("GETs of the grid events while the stream is live")
                    .isZero();
            browser.saveView("grid-event-chart.png", "grid-section");

            try (BrowserPage viewer = signedIn(DemoSite.VIEWER)) {
                viewer.awaitTrue("document.getElementById('grid-active').getClientRects().length > 0", PAGE_WAIT);
                assertThat(shown(viewer, "grid-edit"))
                        .as("a viewer may not edit")
                        .isFalse();
                assertThat(shown(viewer, "grid-chart")).as("but sees the chart").isTrue();
            }
        } finally {
            if (id != null) {
                HttpResponse<String> cancel = HTTP.send(
                        HttpRequest.newBuilder(URI.create(page + "api/v1/grid-events/" + id))
                                .header("Authorization", DemoSiteIT.basic(demo, DemoSite.OPERATOR))
                                .header("Content-Type", "application/json")
                                .method("DELETE", HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(200);
            }
        }
    }

    @Test
    void reservationEdit_fromThePage_showsTheNewCapacity() throws Exception {
        JsonNode feed = null;
        for (JsonNode node : get("api/v1/site").path("children")) {
            if (node.path("kind").asText().equals("feed")) {
                feed = node;
            }
        }
        assertThat(feed).as("the demo's feed").isNotNull();
        Instant start = Instant.now().plus(Duration.ofHours(1));
        HttpResponse<String> asked = write(
                "POST",
                "api/v1/reservations",
                "{\"kw\": 1, \"scope\": {\"kind\": \"feed\", \"id\": \""
                        + feed.path("id").asText()
                        + "\"}, \"start\": \"" + start + "\", \"end\": \"" + start.plus(Duration.ofMinutes(10))
                        + "\", \"lead_seconds\": 60, \"reference\": \"edit-test-job\"}");
        assertThat(asked.statusCode()).as(asked.body()).isEqualTo(201);
        String id = JSON.readTree(asked.body()).path("id").asText();
        String row = "document.querySelector('#reservations tr[data-reservation=" + JSON.writeValueAsString(id) + "]')";
        try (BrowserPage browser = signedIn(DemoSite.OPERATOR)) {
            browser.awaitTrue(row + " !== null", PAGE_WAIT);
            browser.evaluate(row + ".querySelector('button.reservation-edit').click(), true");
            browser.awaitTrue(
                    "document.getElementById('reservation-edit-form').getClientRects().length > 0", PAGE_WAIT);
            assertThat(browser.evaluate("document.getElementById('reservation-edit-kw').value")
                            .asText())
                    .isEqualTo("1");
            assertThat(browser.evaluate("document.getElementById('reservation-edit-lead').value")
                            .asText())
                    .isEqualTo("60");
            browser.type("reservation-edit-kw", "2");
            browser.click("reservation-edit-submit");
            browser.awaitTrue(row + ".cells[3].textContent === '2.00 kW'", PAGE_WAIT);
            assertThat(browser.evaluate("document.getElementById('reservation-edit-status').textContent")
                            .asText())
                    .startsWith("Saved: reservation edit-test-job holds 2.00 kW from ");
            JsonNode after = get("api/v1/reservations/" + id);
            assertThat(after.path("kw").asDouble()).isEqualTo(2);
            assertThat(after.path("edited_by").asText()).isEqualTo(DemoSite.OPERATOR);
            assertThat(after.path("start").asText())
                    .as("only the field changed is sent")
                    .isEqualTo(JSON.readTree(asked.body()).path("start").asText());
        } finally {
            HttpResponse<String> cancel = write("DELETE", "api/v1/reservations/" + id, "");
            assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(200);
        }
    }

    private static HttpResponse<String> write(String method, String path, String body) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(page + path))
                        .header("Authorization", DemoSiteIT.basic(demo, DemoSite.OPERATOR))
                        .header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** "12.34 kW" as 12.34. */
    private static double kw(String text) {
        return Double.parseDouble(text.replace(" kW", "").strip());
    }

    private static boolean shown(BrowserPage browser, String id) throws Exception {
        return browser.evaluate("document.getElementById('" + id + "').getClientRects().length > 0")
                .asBoolean();
    }

    private static JsonNode get(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(page + path))
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
