package io.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headroom.protocol.Mode;
import io.headroom.simulator.miner.MinerSnapshot;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.data.Offset;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live page as a technician sees it: a simulated site, and Debian's Chromium loading
 * {@code /}, signing in through the page's form and running its script against the real API. What
 * the table shows must be what the simulated miners do, a miner put to sleep must read as asleep,
 * not as a fault, and a foreign page open in the same browser cannot send a command.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class WebPageBrowserIT {
    private static final int MINERS = 4;
    private static final int SLEEPER = MINERS - 1;
    private static final Duration PAGE_WAIT = Duration.ofSeconds(20);
    /** A miner nobody commands in these tests but the foreign page. */
    private static final int TARGET = 1;
    /** One simulated rack PDU per agent (two miners each, on a 24-outlet PDU). */
    private static final int PDUS = 2;
    /** One simulated SDM630 on the feed of both racks, read by the first agent over Modbus TCP. */
    private static final int METERS = 1;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern ROW = Pattern.compile("<tr(?: class=\"([^\"]*)\")?>(.*?)</tr>", Pattern.DOTALL);
    private static final Pattern CELL = Pattern.compile("<td[^>]*>(.*?)</td>", Pattern.DOTALL);
    private static final Pattern TAG = Pattern.compile("<[^>]+>");

    @TempDir
    static Path workDir;

    private static HeadlessChromium chromium;
    private static DemoSite demo;
    private static String page;

    @BeforeAll
    static void startSite() throws Exception {
        chromium = HeadlessChromium.require(workDir);
        demo = DemoSite.start(
                new DemoOptions("browser-site", MINERS, 2, "127.0.0.1", 0, 0, 11L, Duration.ofSeconds(1), workDir));
        page = Addresses.http(demo.controller().httpAddress());
        await().atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> {
                    JsonNode devices = get("api/v1/devices");
                    // The miners, the simulated PDU of each agent's rack and the feed's meter.
                    assertThat(devices).hasSize(MINERS + PDUS + METERS);
                    assertThat(devices).allSatisfy(d -> {
                        assertThat(d.path("status").asText()).isEqualTo("ONLINE");
                        assertThat(d.path("metrics").has("power")).isTrue();
                    });
                });
    }

    @AfterAll
    static void stopSite() {
        if (demo != null) {
            demo.close();
        }
    }

    /** Opens the page, signs in as the demo's operator through the form, and waits for the table. */
    private static BrowserPage signedIn() throws Exception {
        BrowserPage browser = chromium.open(page);
        try {
            browser.awaitTrue("!document.getElementById('login').hidden", PAGE_WAIT);
            browser.type("login-name", DemoSite.OPERATOR);
            browser.type("login-password", demo.apiPassword(DemoSite.OPERATOR));
            browser.click("login-submit");
            browser.awaitTrue(
                    "document.querySelectorAll('#devices .vgrid-body-row:not([hidden])').length === "
                            + (MINERS + PDUS + METERS) + " && document.getElementById('login').hidden",
                    PAGE_WAIT);
            return browser;
        } catch (Exception | AssertionError e) {
            browser.close();
            throw e;
        }
    }

    @Test
    void withoutSignIn_theFormShows_andAWrongPasswordIsRefusedOnThePage() throws Exception {
        try (BrowserPage browser = chromium.open(page)) {
            browser.awaitTrue("!document.getElementById('login').hidden", PAGE_WAIT);
            assertThat(browser.evaluate("document.querySelector('main').hidden").asBoolean())
                    .as("no table before signing in")
                    .isTrue();

            browser.type("login-name", DemoSite.OPERATOR);
            browser.type("login-password", "not-the-password");
            browser.click("login-submit");

            browser.awaitTrue("!document.getElementById('login-error').hidden", PAGE_WAIT);
            assertThat(browser.evaluate("document.getElementById('login-error').textContent")
                            .asText())
                    .isEqualTo("wrong user name or password");
            browser.saveView("sign-in.png", "login");
            assertThat(browser.evaluate("document.querySelectorAll('#devices .vgrid-body-row:not([hidden])').length")
                            .asInt())
                    .isZero();
        }
    }

    @Test
    void signOut_returnsToTheForm_andTheCookieNoLongerWorks() throws Exception {
        try (BrowserPage browser = signedIn()) {
            assertThat(browser.evaluate("document.getElementById('account-name').textContent")
                            .asText())
                    .isEqualTo(DemoSite.OPERATOR);
            assertThat(browser.evaluate("document.cookie").asText())
                    .as("the session cookie is HttpOnly: scripts cannot read it")
                    .isEmpty();

            browser.click("sign-out");

            browser.awaitTrue("!document.getElementById('login').hidden", PAGE_WAIT);
            assertThat(browser.evaluate("fetch('/api/v1/devices').then(function (r) { return r.status; })")
                            .asInt())
                    .isEqualTo(401);
        }
    }

    /**
     * Issue 8, problem 2, in a real browser: the operator is signed in, and a page from another
     * origin on the same host (so the SameSite cookie even goes along) tries to sleep a miner with
     * a text/plain no-cors POST and a JSON POST. Neither may reach the miner.
     */
    @Test
    void foreignPage_inTheOperatorsBrowser_cannotSendACommand() throws Exception {
        String controller = page.substring(0, page.length() - 1);
        String target = controller + "/api/v1/devices/" + DemoSite.minerId(TARGET) + "/commands";
        String evil = "<!DOCTYPE html><html><head><title>cats</title></head><body><script>"
                + "var body = JSON.stringify({verb: 'sleep'});"
                + "Promise.allSettled(["
                + "fetch('" + target + "', {method: 'POST', mode: 'no-cors', credentials: 'include',"
                + " headers: {'Content-Type': 'text/plain'}, body: body}),"
                + "fetch('" + target + "', {method: 'POST', credentials: 'include',"
                + " headers: {'Content-Type': 'application/json'}, body: body})"
                + "]).then(function () { document.title = 'done'; });"
                + "</script></body></html>";
        com.sun.net.httpserver.HttpServer foreign =
                com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        foreign.createContext("/", exchange -> {
            byte[] bytes = evil.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        foreign.start();
        double refusedBefore = refusedWrites();
        try (BrowserPage browser = signedIn()) {
            browser.navigate("http://127.0.0.1:" + foreign.getAddress().getPort() + "/cats.html");

            browser.awaitTrue("document.title === 'done'", PAGE_WAIT);
        } finally {
            foreign.stop(0);
        }

        assertThat(refusedWrites()).as("the guard saw the foreign writes").isGreaterThan(refusedBefore);
        assertThat(get("api/v1/commands?device=" + DemoSite.minerId(TARGET))).isEmpty();
        assertThat(demo.simulator().miner(TARGET).model().mode()).isEqualTo(Mode.NORMAL);
    }

    private static double refusedWrites() throws Exception {
        HttpResponse<String> metrics = HTTP.send(
                HttpRequest.newBuilder(URI.create(page + "metrics"))
                        .header("Authorization", DemoSiteIT.basic(demo, DemoSite.VIEWER))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        double sum = 0;
        Matcher line = Pattern.compile("(?m)^headroom_http_writes_refused_total\\{[^}]*\\} (\\S+)$")
                .matcher(metrics.body());
        while (line.find()) {
            sum += Double.parseDouble(line.group(1));
        }
        return sum;
    }

    @Test
    void table_listsEveryMiner_withTheSimulatorsPowerHashrateAndTemperature() throws Exception {
        Map<String, List<String>> rows;
        try (BrowserPage browser = signedIn()) {
            rows = gridRows(browser);
        }

        List<String> ids = new ArrayList<>(java.util.stream.IntStream.range(0, MINERS)
                .mapToObj(DemoSite::minerId)
                .toList());
        ids.addAll(List.of("pdu-1", "pdu-2", "meter-feed-1"));
        assertThat(rows).containsOnlyKeys(ids);
        for (int i = 0; i < SLEEPER; i++) {
            List<String> cells = rows.get(DemoSite.minerId(i));
            MinerSnapshot truth = demo.simulator().miner(i).snapshot();
            // Device, Agent / rack, Kind, Model, Status, Flags (why), Power, Hashrate, Efficiency, Chip temp. max,
            // Last reading (the selection box before them is left out).
            assertThat(cells).hasSize(11);
            assertThat(cells.get(2)).isEqualTo("miner");
            assertThat(cells.get(3))
                    .isEqualTo(demo.simulator().miner(i).model().spec().model());
            assertThat(cells.get(4)).isEqualTo("ONLINE");
            // Steady state: the simulator moves by noise only between the page's fetch and now.
            assertThat(cells.get(5)).as("no flag on a healthy miner").isEmpty();
            double power = Double.parseDouble(cells.get(6));
            double hashrate = Double.parseDouble(cells.get(7));
            assertThat(power).isCloseTo(truth.powerWatts(), Percentage.withPercentage(3));
            assertThat(hashrate).isCloseTo(truth.hashrateThs(), Percentage.withPercentage(5));
            assertThat(Double.parseDouble(cells.get(8)))
                    .as("J/TH: the row's watts over its TH/s")
                    .isCloseTo(power / hashrate, Offset.offset(0.1));
            assertThat(Double.parseDouble(cells.get(9))).isCloseTo(truth.maxChipTempC(), Offset.offset(2.0));
            assertThat(cells.get(10)).matches("\\d+ s ago");
        }
    }

    @Test
    void table_isKeptLiveByTheDeviceStream_notByPolling() throws Exception {
        try (BrowserPage browser = signedIn()) {
            browser.awaitTrue(
                    "document.querySelectorAll('#devices .vgrid-body-row:not([hidden])').length > 0", PAGE_WAIT);
            // The page holds a GET /api/v1/stream open while it shows the table.
            await().atMost(PAGE_WAIT)
                    .untilAsserted(() -> assertThat(demo.controller()
                                    .registry()
                                    .get("headroom.http.streams")
                                    .gauge()
                                    .value())
                            .isGreaterThanOrEqualTo(1));
        }
    }

    @Test
    void summary_countsDevicesByStatus_andAddsTheirPower() throws Exception {
        String dom;
        try (BrowserPage browser = signedIn()) {
            browser.awaitTrue(
                    "document.getElementById('summary').textContent.indexOf('" + (MINERS + PDUS + METERS)
                            + " devices: ') === 0",
                    PAGE_WAIT);
            dom = browser.dom();
        }

        Matcher summary = Pattern.compile("<p id=\"summary\"[^>]*>(.*?)</p>", Pattern.DOTALL)
                .matcher(dom);
        assertThat(summary.find()).as("summary paragraph in %s", dom).isTrue();
        assertThat(summary.group(1))
                .startsWith((MINERS + PDUS + METERS) + " devices: ")
                .contains("online")
                .contains(" kW ")
                .doesNotContain("Loading");
        assertThat(dom).as("no error banner").containsPattern("<div id=\"banner\"[^>]*hidden");
    }

    @Test
    void sleepingMiner_readsAsAsleep_notAsAFault() throws Exception {
        String id = DemoSite.minerId(SLEEPER);
        JsonNode command = post("api/v1/devices/" + id + "/commands", "{\"verb\":\"sleep\",\"ttlSeconds\":30}");
        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertThat(get("api/v1/devices/" + id)
                                .path("metrics")
                                .path("mode")
                                .path("value")
                                .asDouble())
                        .isEqualTo(Mode.SLEEP.code()));

        String dom;
        List<String> cells;
        try (BrowserPage browser = signedIn()) {
            browser.awaitTrue("document.querySelector('span.mode-sleep') !== null", PAGE_WAIT);
            dom = browser.dom();
            cells = gridRows(browser).get(id);
        }

        assertThat(cells.get(4)).as("status badge, then the mode tag").isEqualTo("ONLINEsleep");
        assertThat(dom).contains("<span class=\"mode mode-sleep\">sleep</span>");
        assertThat(command.path("commandId").asText()).isNotEmpty();
    }

    @Test
    void powerSection_listsEachPduAndTheMeter_withTheirPower_andThePdusOutletsOnAndOff() throws Exception {
        // Outlet 24 of rack-1 feeds nothing: switching it off touches no miner the other tests watch.
        demo.power().switchOutlet("rack-1", 24, false);
        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertThat(get("api/v1/devices/pdu-1")
                                .path("metrics")
                                .path("outlet.state[24]")
                                .path("value")
                                .asDouble())
                        .isZero());

        String dom;
        try (BrowserPage browser = signedIn()) {
            browser.awaitTrue(
                    "document.querySelectorAll('#power-devices tbody tr').length === " + (PDUS + METERS), PAGE_WAIT);
            dom = browser.dom();
            browser.saveView("power.png", "power-section");
        }

        assertThat(dom).as("power section shown").containsPattern("<section id=\"power-section\">");
        Map<String, List<String>> rows = rows(dom, "power-devices");
        assertThat(rows).containsOnlyKeys("pdu-1", "pdu-2", "meter-feed-1");
        // Device, Agent, Kind, Status, Power (kW), Outlets on, Outlets off.
        List<String> pdu1 = rows.get("pdu-1");
        assertThat(pdu1).hasSize(7);
        assertThat(pdu1.get(2)).isEqualTo("pdu");
        assertThat(pdu1.get(3)).isEqualTo("ONLINE");
        assertThat(Double.parseDouble(pdu1.get(4)))
                .isCloseTo(demo.power().rackWatts("rack-1") / 1000, Percentage.withPercentage(5));
        assertThat(pdu1.subList(5, 7)).containsExactly("23", "1");
        assertThat(rows.get("pdu-2").subList(5, 7)).containsExactly("24", "0");
        List<String> meter = rows.get("meter-feed-1");
        assertThat(meter.get(2)).isEqualTo("meter");
        assertThat(meter.get(3)).isEqualTo("ONLINE");
        assertThat(Double.parseDouble(meter.get(4)))
                .isCloseTo(
                        (demo.power().rackWatts("rack-1") + demo.power().rackWatts("rack-2")) / 1000,
                        Percentage.withPercentage(5));
        assertThat(meter.subList(5, 7)).as("a meter has no outlets").containsExactly("—", "—");
    }

    /**
     * Device id → the text of each cell of its row in the device grid (table.js), the selection box
     * left out: the rows the grid has in the DOM, which are all of them at this size.
     */
    private static Map<String, List<String>> gridRows(BrowserPage browser) throws Exception {
        JsonNode rows =
                browser.evaluate("Array.from(document.querySelectorAll('#devices .vgrid-body-row:not([hidden])'))"
                        + ".sort(function (a, b) { return a.dataset.index - b.dataset.index; })"
                        + ".map(function (r) { return Array.from(r.children).slice(1)"
                        + ".map(function (c) { return c.textContent.trim(); }); })");
        Map<String, List<String>> byId = new LinkedHashMap<>();
        for (JsonNode row : rows) {
            List<String> cells = new ArrayList<>();
            row.forEach(c -> cells.add(c.asText()));
            byId.put(cells.get(0), cells);
        }
        return byId;
    }

    /** Device id → the text of each cell of its row in the body of the table with this id. */
    private static Map<String, List<String>> rows(String dom, String tableId) {
        int table = dom.indexOf("<table id=\"" + tableId + "\"");
        assertThat(table).as("table %s in %s", tableId, dom).isNotNegative();
        int body = dom.indexOf("<tbody>", table);
        int end = dom.indexOf("</tbody>", body);
        assertThat(body).as("devices table in %s", dom).isNotNegative();
        Map<String, List<String>> rows = new LinkedHashMap<>();
        Matcher row = ROW.matcher(dom.substring(body, end));
        while (row.find()) {
            List<String> cells = new ArrayList<>();
            Matcher cell = CELL.matcher(row.group(2));
            while (cell.find()) {
                cells.add(TAG.matcher(cell.group(1)).replaceAll("").trim());
            }
            rows.put(cells.get(0), cells);
        }
        return rows;
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

    private static JsonNode post(String path, String body) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(page + path))
                        .header("Content-Type", "application/json")
                        .header("Authorization", DemoSiteIT.basic(demo, DemoSite.OPERATOR))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode())
                .as("POST %s: %s", path, response.body())
                .isEqualTo(202);
        return JSON.readTree(response.body());
    }
}
