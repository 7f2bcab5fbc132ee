package io.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page's site view in Debian's Chromium against a simulated site whose limits are 7 % of the
 * documented demo's: every rack draws more than its PDU's breaker allows, so the control engine
 * running in the demo controller sheds miners, and the page has decisions to show. The tree must
 * show every node of the demo's {@code site.yaml} with the numbers of {@code GET /api/v1/site}, the
 * decisions those of {@code GET /api/v1/decisions}, and the grid-event section must stay calm while
 * {@code /api/v1/grid-events} answers 404.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SiteViewBrowserIT {
    private static final int MINERS = 4;
    private static final double LIMIT_FACTOR = 0.07;
    private static final Duration PAGE_WAIT = Duration.ofSeconds(20);
    /** Actions that take power away; restores are {@code wake} and clearing a target. */
    private static final Set<String> SHEDS = Set.of("set-power-target", "sleep", "outlet-off");

    private static final Pattern CONSTRAINT =
            Pattern.compile("(\\S+) (\\S+) at (-?[0-9.]+)/([0-9.]+) kW(?: \\((\\S+)\\))?");
    /** The page's rows of the site table, each as {id, kind, className, cells[], width}. */
    private static final String TREE_ROWS = "Array.from(document.querySelectorAll('#site-tree tbody tr')).map("
            + "function (tr) { var fill = tr.querySelector('.bar-fill'); return {id: tr.dataset.node,"
            + " kind: tr.dataset.kind, className: tr.className, fillClass: fill ? fill.className : null,"
            + " width: fill ? fill.style.width : null,"
            + " cells: Array.from(tr.cells).map(function (td) { return td.textContent; })}; })";

    private static final String DECISION_ROWS = "Array.from(document.querySelectorAll('#decisions tbody tr')).map("
            + "function (tr) { return {at: tr.dataset.at, device: tr.dataset.device,"
            + " cells: Array.from(tr.cells).map(function (td) { return td.textContent; })}; })";

    /**
     * Wraps the page's fetch: every GET of an endpoint the stream replaces is counted and answered 503, so
     * that whatever the page shows of them came from the stream; the site view's ticks (the poll loop's
     * countdown redraws, which stay) are counted to see the page's poll loop run.
     */
    private static final String COUNT_STREAMED_GETS = "(function () {"
            + " window.streamedGets = []; window.siteTicks = 0; var real = window.fetch;"
            + " var tick = window.HeadroomSite.tick;"
            + " window.HeadroomSite.tick = function () { window.siteTicks++; return tick.apply(this, arguments); };"
            + " window.fetch = function (input, init) {"
            + "  var url = String(input); var method = (init && init.method) || 'GET';"
            + "  if (method === 'GET' && /^\\/api\\/v1\\/(site|alerts|decisions|grid-events|reservations|market)(\\?|\\/|$)/.test(url)) {"
            + "   window.streamedGets.push(url);"
            + "   return Promise.resolve(new Response('{\"error\":\"not in this test\"}', {status: 503})); }"
            + "  return real.apply(this, arguments); };"
            + " return true; }())";
    /** The text of every row of the site tree, the loads among them. */
    private static final String TREE_TEXT = "Array.from(document.querySelectorAll('#site-tree tbody tr'))"
            + ".map(function (tr) { return tr.textContent; }).join('\\n')";

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
        demo = DemoSite.start(new DemoOptions(
                "tight-site", MINERS, 2, "127.0.0.1", 0, 0, 13L, Duration.ofSeconds(1), workDir, LIMIT_FACTOR));
        page = Addresses.http(demo.controller().httpAddress());
        await().atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> {
                    JsonNode site = get("api/v1/site");
                    // Every rack and the feed measured: the site's load is a real figure, not unknown.
                    assertThat(nonDeviceNodes(site))
                            .allSatisfy(n -> assertThat(n.path("source").asText())
                                    .as("source of %s", n.path("id").asText())
                                    .isNotEqualTo("unknown"));
                });
    }

    @AfterAll
    static void stopSite() {
        if (demo != null) {
            demo.close();
        }
    }

    /** Opens the page, signs in as {@code user} through the form, and waits for the site tree. */
    private static BrowserPage signedIn(String user) throws Exception {
        BrowserPage browser = chromium.open(page);
        try {
            browser.awaitTrue("!document.getElementById('login').hidden", PAGE_WAIT);
            browser.type("login-name", user);
            browser.type("login-password", demo.apiPassword(user));
            browser.click("login-submit");
            browser.awaitTrue(
                    "document.getElementById('login').hidden"
                            + " && document.querySelectorAll('#site-tree tbody tr').length > 0"
                            + " && document.getElementById('grid-none').textContent !== 'Loading…'",
                    PAGE_WAIT);
            return browser;
        } catch (Exception | AssertionError e) {
            browser.close();
            throw e;
        }
    }

    @Test
    void siteTree_showsEveryNodeOfTheSiteModel_withBarsAndNumbersOfTheApi() throws Exception {
        try (BrowserPage browser = signedIn(DemoSite.VIEWER)) {
            // The page shows a poll up to 2 s old; loads move with the simulators' noise and the engine's
            // sheds, so page and API are compared until one refresh of the page matches a fresh GET.
            await().atMost(PAGE_WAIT).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
                JsonNode site = get("api/v1/site");
                JsonNode rows = browser.evaluate(TREE_ROWS);
                List<JsonNode> nodes = nonDeviceNodes(site);
                site.path("zones").forEach(nodes::add);
                assertThat(nodes.stream().map(SiteViewBrowserIT::key))
                        .as("the demo's site.yaml for two racks")
                        .containsExactly(
                                "site:tight-site",
                                "feed:feed-1",
                                "pdu:pdu-1",
                                "rack:rack-1",
                                "pdu:pdu-2",
                                "rack:rack-2",
                                "zone:hall-1");

                assertThat(ids(rows))
                        .as("site, feed, PDUs, racks and the zone, in tree order; no device rows")
                        .containsExactlyElementsOf(
                                nodes.stream().map(SiteViewBrowserIT::key).toList());
                for (int i = 0; i < nodes.size(); i++) {
                    JsonNode node = nodes.get(i);
                    JsonNode row = rows.get(i);
                    String what = key(node);
                    // Node, bar, Load (kW), Limit (kW), Headroom (kW), Source, Devices.
                    List<String> cells = texts(row.path("cells"));
                    assertThat(cells).as(what).hasSize(9);
                    double load = node.path("load_kw").asDouble();
                    assertThat(Double.parseDouble(cells.get(2)))
                            .as("load of %s", what)
                            .isCloseTo(load, within(load));
                    assertThat(cells.get(5))
                            .as("source of %s", what)
                            .isEqualTo(node.path("source").asText());
                    long devices = count(node.path("children"), "device");
                    assertThat(cells.get(6)).as("devices of %s", what).isEqualTo(devices == 0 ? "" : "" + devices);
                    if (node.path("limit_kw").isNull()) {
                        // A rack without a limit of its own: no bar, no headroom.
                        assertThat(cells.subList(3, 5)).as(what).containsExactly("—", "—");
                        assertThat(row.path("width").isNull())
                                .as("no bar for %s", what)
                                .isTrue();
                        continue;
                    }
                    double limit = node.path("limit_kw").asDouble();
                    assertThat(Double.parseDouble(cells.get(3)))
                            .as("limit of %s", what)
                            .isCloseTo(limit, within(0));
                    assertThat(Double.parseDouble(cells.get(4)))
                            .as("headroom of %s", what)
                            .isCloseTo(node.path("headroom_kw").asDouble(), within(load));

                    // The bar: its width is the page's load over its limit, its colour the level.
                    double shownLoad = Double.parseDouble(cells.get(2));
                    double shownLimit = Double.parseDouble(cells.get(3));
                    double percent = shownLoad / shownLimit * 100;
                    assertThat(row.path("width").asText()).as("bar of %s", what).endsWith("%");
                    assertThat(Double.parseDouble(row.path("width").asText().replace("%", "")))
                            .as("bar width of %s", what)
                            .isCloseTo(Math.min(100, percent), within(1));
                    String level = percent > 100 ? "over" : percent > 90 ? "high" : "ok";
                    assertThat(row.path("fillClass").asText())
                            .as("bar of %s", what)
                            .contains("level-" + level);
                    assertThat(row.path("className").asText())
                            .as("row of %s", what)
                            .contains("level-" + level);
                }
            });
            browser.saveView("site.png", "site-section");
        }
    }

    @Test
    void recentDecisions_showTheEnginesShed_withItsConstraint() throws Exception {
        // 7 % of the demo's limits: each rack PDU's breaker is 5.03 kW, under two miners' 6 kW.
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(get("api/v1/decisions?limit=20"))
                        .anySatisfy(d -> {
                            assertThat(d.path("action").asText()).isIn(SHEDS);
                            assertThat(d.path("restore").asBoolean()).isFalse();
                        }));

        try (BrowserPage browser = signedIn(DemoSite.VIEWER)) {
            browser.awaitTrue("document.querySelectorAll('#decisions tbody tr').length > 0", PAGE_WAIT);
            JsonNode rows = browser.evaluate(DECISION_ROWS);
            JsonNode decisions = get("api/v1/decisions?limit=500");

            assertThat(rows.size()).isBetween(1, 20);
            boolean shedShown = false;
            for (JsonNode row : rows) {
                JsonNode decision = find(
                        decisions, row.path("at").asText(), row.path("device").asText());
                List<String> cells = texts(row.path("cells"));
                String what =
                        row.path("device").asText() + " at " + row.path("at").asText();
                // Time, Device, Action, Constraint, Reason, Outcome.
                assertThat(cells).as(what).hasSize(6);
                assertThat(cells.get(1)).isEqualTo(decision.path("device").asText());
                assertThat(cells.get(2))
                        .as(what)
                        .startsWith(decision.path("action").asText());
                JsonNode constraint = decision.path("constraint");
                Matcher shown = CONSTRAINT.matcher(cells.get(3));
                assertThat(shown.matches())
                        .as("constraint of %s: %s", what, cells.get(3))
                        .isTrue();
                assertThat(shown.group(1)).isEqualTo(constraint.path("kind").asText());
                assertThat(shown.group(2)).isEqualTo(constraint.path("node").asText());
                assertThat(Double.parseDouble(shown.group(3)))
                        .isCloseTo(constraint.path("load_kw").asDouble(), within(0));
                assertThat(Double.parseDouble(shown.group(4)))
                        .isCloseTo(constraint.path("limit_kw").asDouble(), within(0));
                assertThat(cells.get(4))
                        .as(what)
                        .startsWith(decision.path("reason").asText());
                assertThat(cells.get(5))
                        .as(what)
                        .isEqualTo(
                                decision.path("dispatched").asBoolean()
                                        ? "sent"
                                        : decision.has("refusal")
                                                ? "refused: "
                                                        + decision.path("refusal")
                                                                .asText()
                                                : "not sent");
                if (SHEDS.contains(decision.path("action").asText())
                        && !decision.path("restore").asBoolean()) {
                    shedShown = true;
                    assertThat(cells.get(1)).as("a miner is shed").startsWith("miner-");
                }
            }
            assertThat(shedShown).as("the page lists a shed: %s", rows).isTrue();
            browser.saveView("decisions.png", "decisions-section");
        }
    }

    @Test
    void gridSection_saysNoActiveEvent_whileTheApiHasNone() throws Exception {
        int status = status("api/v1/grid-events");
        try (BrowserPage browser = signedIn(DemoSite.OPERATOR)) {
            String text = browser.evaluate("document.getElementById('grid-none').textContent")
                    .asText();

            assertThat(shown(browser, "grid-none")).isTrue();
            assertThat(shown(browser, "grid-active")).isFalse();
            assertThat(shown(browser, "banner")).as("no error banner").isFalse();
            // Until the grid-event API lands the route answers 404; once it does, the list is empty here.
            if (status == 404) {
                assertThat(text).isEqualTo("No active grid event (this controller does not offer grid events).");
            } else {
                assertThat(status).isEqualTo(200);
                // Another test of this class may have started and cancelled one.
                assertThat(get("api/v1/grid-events"))
                        .allSatisfy(e -> assertThat(e.path("state").asText()).isIn("completed", "cancelled", "failed"));
                assertThat(text).isEqualTo("No active grid event.");
            }
            // The reservations section sits beside the grid events on the same page.
            browser.saveView("reservations.png", "reservations-section");
        }
    }

    @Test
    void viewer_seesNoEventForm_andAnOperatorDoes() throws Exception {
        try (BrowserPage viewer = signedIn(DemoSite.VIEWER)) {
            assertThat(shown(viewer, "grid-form"))
                    .as("a viewer may not start grid events")
                    .isFalse();
            assertThat(shown(viewer, "grid-cancel")).isFalse();
        }
        try (BrowserPage operator = signedIn(DemoSite.OPERATOR)) {
            assertThat(shown(operator, "grid-form")).isTrue();
        }
    }

    /**
     * The operator's form goes through the write guard like the page's other writes (same origin,
     * JSON): while the grid-event API is absent, the answer is its 404, not a 403 or 415 from the
     * guard; once it exists, the event shows and the Cancel button ends it.
     */
    @Test
    void operatorForm_postsAnEvent_throughTheWriteGuard() throws Exception {
        int status = status("api/v1/grid-events");
        try (BrowserPage browser = signedIn(DemoSite.OPERATOR)) {
            browser.type("grid-mode", "reduce_percent");
            browser.type("grid-value", "10");
            browser.type("grid-duration", "5");
            browser.type("grid-ramp", "30");
            browser.click("grid-submit");

            if (status == 404) {
                browser.awaitTrue("document.getElementById('grid-error').getClientRects().length > 0", PAGE_WAIT);
                assertThat(browser.evaluate("document.getElementById('grid-error').textContent")
                                .asText())
                        .isEqualTo("no such resource: /api/v1/grid-events");
                browser.saveView("grid-events.png", "grid-section");
            } else {
                browser.awaitTrue("document.getElementById('grid-active').getClientRects().length > 0", PAGE_WAIT);
                assertThat(browser.evaluate("document.getElementById('grid-target').textContent")
                                .asText())
                        .contains("reduce by 10 %");
                assertThat(shown(browser, "grid-form"))
                        .as("one event at a time from the page")
                        .isFalse();
                browser.saveView("grid-events.png", "grid-section");
                browser.click("grid-cancel");
                browser.awaitTrue("document.getElementById('grid-none').getClientRects().length > 0", PAGE_WAIT);
            }
        }
    }

    /**
     * With every GET of the site, grid-event, decision and alert endpoints refused from before the sign-in, the
     * page still shows them all, and keeps them live: the site's loads move and a grid event created through the
     * API shows, and so does a reservation and the market's state, while the page's poll loop runs (the site
     * view's countdowns are redrawn twice) without one more such GET.
     */
    @Test
    void siteView_alertsAndGridEvents_comeLiveFromTheStream_withoutAGetOfTheirEndpoints() throws Exception {
        String created = null;
        String reservation = null;
        try (BrowserPage browser = chromium.open(page)) {
            browser.awaitTrue("!document.getElementById('login').hidden", PAGE_WAIT);
            browser.evaluate(COUNT_STREAMED_GETS);
            browser.type("login-name", DemoSite.VIEWER);
            browser.type("login-password", demo.apiPassword(DemoSite.VIEWER));
            browser.click("login-submit");
            browser.awaitTrue(
                    "document.querySelector('main').dataset.stream === 'live'"
                            + " && document.querySelectorAll('#site-tree tbody tr').length > 0"
                            + " && document.getElementById('grid-none').textContent === 'No active grid event.'"
                            + " && document.getElementById('decisions-none').textContent !== 'Loading…'"
                            + " && /^(No alerts firing|Alerts not evaluated yet|[0-9]+ alerts? firing)/"
                            + ".test(document.getElementById('alerts-status').textContent)",
                    PAGE_WAIT);
            int before = browser.evaluate("window.streamedGets.length").asInt();
            int ticksBefore = browser.evaluate("window.siteTicks").asInt();

            // The simulators' noise and the engine move the loads: the tree changes by the stream alone.
            String tree = browser.evaluate(TREE_TEXT).asText();
            browser.awaitTrue(TREE_TEXT + " !== " + JSON.writeValueAsString(tree), PAGE_WAIT);

            HttpResponse<String> post = HTTP.send(
                    HttpRequest.newBuilder(URI.create(page + "api/v1/grid-events"))
                            .header("Authorization", DemoSiteIT.basic(demo, DemoSite.OPERATOR))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"reduce_percent\": 10, \"end\": \""
                                    + java.time.Instant.now().plus(Duration.ofMinutes(5))
                                    + "\", \"ramp_seconds\": 30, \"source\": \"stream-test\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).as(post.body()).isEqualTo(201);
            created = JSON.readTree(post.body()).path("id").asText();
            browser.awaitTrue(
                    "document.getElementById('grid-active').getClientRects().length > 0"
                            + " && document.getElementById('grid-id').textContent.indexOf("
                            + JSON.writeValueAsString(created) + ") === 0",
                    PAGE_WAIT);
            assertThat(browser.evaluate("document.getElementById('grid-target').textContent")
                            .asText())
                    .contains("reduce by 10 %");
            // A reservation asked for through the API shows in its section, by the stream alone.
            JsonNode feed = nonDeviceNodes(JSON.readTree(HTTP.send(
                                    HttpRequest.newBuilder(URI.create(page + "api/v1/site"))
                                            .header("Authorization", DemoSiteIT.basic(demo, DemoSite.VIEWER))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body()))
                    .stream()
                    .filter(n -> n.path("kind").asText().equals("feed"))
                    .findFirst()
                    .orElseThrow();
            java.time.Instant start = java.time.Instant.now().plus(Duration.ofHours(1));
            HttpResponse<String> asked = HTTP.send(
                    HttpRequest.newBuilder(URI.create(page + "api/v1/reservations"))
                            .header("Authorization", DemoSiteIT.basic(demo, DemoSite.OPERATOR))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"kw\": 1, \"scope\": {\"kind\": \"feed\","
                                    + " \"id\": \"" + feed.path("id").asText() + "\"}, \"start\": \"" + start
                                    + "\", \"end\": \"" + start.plus(Duration.ofMinutes(10))
                                    + "\", \"reference\": \"stream-test-job\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(asked.statusCode()).as(asked.body()).isEqualTo(201);
            reservation = JSON.readTree(asked.body()).path("id").asText();
            browser.awaitTrue(
                    "document.getElementById('reservations').textContent.indexOf('stream-test-job') >= 0", PAGE_WAIT);
            // The demo's market (its policy and strike price) from the stream: a GET of it would read 503 here.
            browser.awaitTrue(
                    "document.getElementById('market-status').textContent.indexOf('Policy: ') === 0", PAGE_WAIT);
            browser.awaitTrue("window.siteTicks >= " + (ticksBefore + 2), PAGE_WAIT);

            assertThat(browser.evaluate("window.streamedGets.slice(" + before + ")"))
                    .as("GETs of the streamed endpoints after the stream went live")
                    .isEmpty();
        } finally {
            if (reservation != null) {
                HttpResponse<String> cancel = HTTP.send(
                        HttpRequest.newBuilder(URI.create(page + "api/v1/reservations/" + reservation))
                                .header("Authorization", DemoSiteIT.basic(demo, DemoSite.OPERATOR))
                                .header("Content-Type", "application/json")
                                .method("DELETE", HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(200);
            }
            if (created != null) {
                HttpResponse<String> cancel = HTTP.send(
                        HttpRequest.newBuilder(URI.create(page + "api/v1/grid-events/" + created))
                                .header("Authorization", DemoSiteIT.basic(demo, DemoSite.OPERATOR))
                                .header("Content-Type", "application/json")
                                .method("DELETE", HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(200);
            }
        }
    }

    /** Whether the element with this id is rendered (has a box), whatever its attributes and the CSS say. */
    private static boolean shown(BrowserPage browser, String id) throws Exception {
        return browser.evaluate("document.getElementById('" + id + "').getClientRects().length > 0")
                .asBoolean();
    }

    /** The site and every node under it but devices, in the pre-order the page lists them. */
    private static List<JsonNode> nonDeviceNodes(JsonNode site) {
        List<JsonNode> nodes = new ArrayList<>();
        collect(site, nodes);
        return nodes;
    }

    private static void collect(JsonNode node, List<JsonNode> into) {
        if (node.path("kind").asText().equals("device")) {
            return;
        }
        into.add(node);
        node.path("children").forEach(child -> collect(child, into));
    }

    private static String key(JsonNode node) {
        return node.path("kind").asText() + ":" + node.path("id").asText();
    }

    private static List<String> ids(JsonNode rows) {
        List<String> ids = new ArrayList<>();
        rows.forEach(r -> ids.add(r.path("kind").asText() + ":" + r.path("id").asText()));
        return ids;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(t -> texts.add(t.asText().strip()));
        return texts;
    }

    private static long count(JsonNode children, String kind) {
        long n = 0;
        for (JsonNode child : children) {
            if (child.path("kind").asText().equals(kind)) {
                n++;
            }
        }
        return n;
    }

    /**
     * The page's rounding (two decimals below 10 kW, one above) plus, for a live load of {@code drift}
     * kW, 3 % of it for the simulators' noise between the page's poll and this GET.
     */
    private static org.assertj.core.data.Offset<Double> within(double drift) {
        return org.assertj.core.data.Offset.offset(0.051 + 0.03 * Math.abs(drift));
    }

    private static JsonNode find(JsonNode decisions, String at, String device) {
        for (JsonNode d : decisions) {
            if (d.path("at").asText().equals(at) && d.path("device").asText().equals(device)) {
                return d;
            }
        }
        throw new AssertionError(
                "the page shows a decision for " + device + " at " + at + " that the API does not: " + decisions);
    }

    private static int status(String path) throws Exception {
        return send(path).statusCode();
    }

    private static JsonNode get(String path) throws Exception {
        HttpResponse<String> response = send(path);
        assertThat(response.statusCode())
                .as("GET %s: %s", path, response.body())
                .isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> send(String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(page + path))
                        .header("Authorization", DemoSiteIT.basic(demo, DemoSite.VIEWER))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
