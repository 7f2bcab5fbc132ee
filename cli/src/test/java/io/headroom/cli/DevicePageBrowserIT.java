package io.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The device page (device.js) in Debian's Chromium against a demo site: reached from the device
 * table's link, its chart has exactly the points the history API answered (the page's own requests
 * are recorded as they come back), drawn in their order and height, with units; the day range
 * reads the day; an unknown device is said in words; a viewer sees no Actions. An operator switches a PDU's outlet
 * off and on, and an Avalon's locate LED on and off, from their pages through the dry-run's confirmation, and the
 * simulated outlet and LED follow. The page holds its device's stream (D59): a miner cut off shows OFFLINE and a new
 * timeline line without the page reading the device again. An operator's fetch of the raw last reply shows
 * the text the API returned; a viewer is told why there is no button. Saves {@code target/screenshots/device-page.png},
 * {@code device-actions.png} and {@code device-raw-reply.png}.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DevicePageBrowserIT {
    private static final Duration PAGE_WAIT = Duration.ofSeconds(30);
    private static final String MINER = DemoSite.minerId(0);
    /** The rack's PDU and the outlet of the demo's second miner on it (the chart's miner is on outlet 1). */
    private static final String RACK = "rack-1";

    private static final String PDU = DemoSite.pduId(RACK);
    private static final int OUTLET = 2;
    /** The miner whose supply the stream test cuts: neither the chart's miner nor the one on {@link #OUTLET}. */
    private static final int DARK = 2;

    @TempDir
    static Path workDir;

    private static HeadlessChromium chromium;
    private static DemoSite demo;

    @BeforeAll
    static void startSite() throws Exception {
        chromium = HeadlessChromium.require(workDir);
        // With the demo's calm market, so that a miner's page shows its economics.
        // With the mixed fleet's rack too, for a miner whose firmware has a locate LED (the Avalon's).
        demo = DemoSite.start(
                new DemoOptions("device-page", 3, 1, "127.0.0.1", 0, 0, 7L, Duration.ofSeconds(1), workDir)
                        .withMixedFleet(true),
                DemoMarket.calm());
    }

    @AfterAll
    static void stopSite() {
        if (demo != null) {
            demo.close();
        }
    }

    /**
     * An operator on the PDU's page switches off the outlet that feeds a miner: the confirmation names the one device
     * and says the command is dangerous, with the controller's dry-run of the miner's power; confirmed, the result is
     * said in words and the simulated outlet is off; switched on again the same way, it is on. Then the Avalon's
     * locate LED on and off from its page, read back over its own RPC.
     */
    @Test
    void anOperatorSwitchesAnOutletAndALocateLedFromTheDevicesPages_afterTheDryRunAndConfirmation() throws Exception {
        String fed =
                DemoSite.minerId(demo.power().fedBy(RACK, OUTLET).orElseThrow().index());
        try (BrowserPage browser =
                chromium.open(Addresses.http(demo.controller().httpAddress()))) {
            browser.awaitTrue("!document.getElementById('login').hidden", PAGE_WAIT);
            browser.type("login-name", DemoSite.OPERATOR);
            browser.type("login-password", demo.apiPassword(DemoSite.OPERATOR));
            browser.click("login-submit");
            browser.awaitTrue("!document.getElementById('account').hidden", PAGE_WAIT);
            browser.evaluate("window.location.hash = '#/device/" + PDU + "', true");
            String off = "device-outlet-" + OUTLET + "-off";
            browser.awaitTrue(
                    "document.getElementById('" + off + "') !== null"
                            + " && !document.getElementById('device-actions-section').hidden",
                    PAGE_WAIT);
            // The outlet's row: its state as the PDU reads it, and its buttons, off and cycle marked dangerous.
            String row = "document.querySelector('#device-outlets tr[data-outlet=\"" + OUTLET + "\"]')";
            browser.awaitTrue(row + ".cells[1].textContent === 'on'", PAGE_WAIT);
            assertThat(browser.evaluate("document.getElementById('" + off + "').textContent")
                            .asText())
                    .isEqualTo("Off… (dangerous)");

            browser.click(off);
            browser.awaitTrue(
                    "document.getElementById('action-dialog').open"
                            + " && !document.getElementById('action-confirm').disabled"
                            + " && document.getElementById('action-dialog').getAttribute('aria-busy') === null",
                    PAGE_WAIT);
            assertThat(text(browser, "action-title"))
                    .isEqualTo("Switch off outlet " + OUTLET + " of 1 device (" + PDU + ")?");
            assertThat(text(browser, "action-dry-run")).isEqualTo("The controller’s dry-run (nothing has been sent):");
            assertThat(text(browser, "action-danger"))
                    .isEqualTo("Dangerous: outlet-off cuts the power of what outlet " + OUTLET
                            + " feeds (its capability says so).");
            assertThat(text(browser, "action-confirm")).isEqualTo("Confirm outlet-off (dangerous)");
            assertThat(text(browser, "action-preview"))
                    .startsWith("The controller expects what the outlet feeds to go from ")
                    .contains(" to 0.0 kW (−")
                    .endsWith(" kW); outlet " + OUTLET + " of " + PDU + " feeds " + fed + ": its power cut: 0 W.");
            assertThat(browser.evaluate("document.activeElement.id").asText()).isEqualTo("action-cancel");
            browser.saveView("device-actions.png", "device-actions-section");
            browser.click("action-confirm");

            String result = "document.querySelector('#device-action-results li[data-device=\"" + PDU + "\"]')";
            browser.awaitTrue(result + " !== null && " + result + ".className === 'result-APPLIED'", PAGE_WAIT);
            assertThat(browser.evaluate(result + ".textContent").asText())
                    .startsWith(PDU + ": outlet-off (outlet " + OUTLET + ") done, confirmed by read-back: SET ");
            assertThat(text(browser, "device-action-progress")).isEqualTo("Finished: 1 of 1 accepted, 0 refused.");
            assertThat(demo.power().outletOn(RACK, OUTLET)).isFalse();
            // The page reads the PDU again: the outlet is off there too.
            browser.awaitTrue(row + ".cells[1].textContent === 'off'", PAGE_WAIT);

            browser.click("device-outlet-" + OUTLET + "-on");
            browser.awaitTrue(
                    "document.getElementById('action-dialog').open"
                            + " && !document.getElementById('action-confirm').disabled",
                    PAGE_WAIT);
            assertThat(text(browser, "action-title"))
                    .isEqualTo("Switch on outlet " + OUTLET + " of 1 device (" + PDU + ")?");
            assertThat(browser.evaluate("document.getElementById('action-danger').hidden")
                            .asBoolean())
                    .isTrue();
            assertThat(text(browser, "action-confirm")).isEqualTo("Confirm");
            browser.click("action-confirm");
            browser.awaitTrue(result + " !== null && " + result + ".className === 'result-APPLIED'", PAGE_WAIT);
            assertThat(browser.evaluate(result + ".textContent").asText())
                    .startsWith(PDU + ": outlet-on (outlet " + OUTLET + ") done, confirmed by read-back: SET ");
            assertThat(demo.power().outletOn(RACK, OUTLET)).isTrue();

            // The Avalon's locate LED, from its page: no power change, nothing dangerous; its status string says Led.
            String avalon = DemoMixedRack.Family.AVALON.id;
            int port = java.util.Objects.requireNonNull(demo.mixed()).port(DemoMixedRack.Family.AVALON);
            browser.evaluate("window.location.hash = '#/device/" + avalon + "', true");
            browser.awaitTrue("document.getElementById('device-action-locate-on') !== null", PAGE_WAIT);
            browser.click("device-action-locate-on");
            browser.awaitTrue(
                    "document.getElementById('action-dialog').open"
                            + " && !document.getElementById('action-confirm').disabled",
                    PAGE_WAIT);
            assertThat(text(browser, "action-title"))
                    .isEqualTo("Turn the locate LED on for 1 device (" + avalon + ")?");
            assertThat(text(browser, "action-preview"))
                    .startsWith("The controller expects the 1 to go from ")
                    .endsWith("(+0.0 kW): locate changes no power.");
            assertThat(browser.evaluate("document.getElementById('action-danger').hidden")
                            .asBoolean())
                    .isTrue();
            browser.click("action-confirm");
            String located = "document.querySelector('#device-action-results li[data-device=\"" + avalon + "\"]')";
            browser.awaitTrue(located + " !== null && " + located + ".className === 'result-APPLIED'", PAGE_WAIT);
            assertThat(browser.evaluate(located + ".textContent").asText())
                    .startsWith(avalon + ": locate-on done, confirmed by read-back");
            assertThat(estats(port)).contains("Led[1]");
            browser.click("device-action-locate-off");
            browser.awaitTrue(
                    "document.getElementById('action-dialog').open"
                            + " && !document.getElementById('action-confirm').disabled",
                    PAGE_WAIT);
            browser.click("action-confirm");
            browser.awaitTrue(
                    located + " !== null && " + located + ".className === 'result-APPLIED'" + " && " + located
                            + ".textContent.indexOf('locate-off') > 0",
                    PAGE_WAIT);
            assertThat(estats(port)).contains("Led[0]");

            // Braiins OS takes a power target: the input is bounded by its capability, and a value outside it is
            // refused in words before anything is asked or sent.
            String bos = DemoMixedRack.Family.BRAIINS.id;
            browser.evaluate("window.location.hash = '#/device/" + bos + "', true");
            browser.awaitTrue("document.getElementById('device-action-target-value') !== null", PAGE_WAIT);
            JsonNode input = browser.evaluate("(function () { var i = document.getElementById("
                    + "'device-action-target-value'); return { min: i.min, max: i.max, step: i.step,"
                    + " label: i.parentElement.textContent }; })()");
            assertThat(input.path("min").asText()).isEqualTo("1000");
            assertThat(input.path("max").asText()).isEqualTo("4000");
            assertThat(input.path("step").asText()).isEqualTo("1");
            assertThat(input.path("label").asText()).isEqualTo("Power target (W)  (1000 … 4000 W)");
            browser.type("device-action-target-value", "4500");
            browser.click("device-action-set-power-target");
            assertThat(text(browser, "device-action-error"))
                    .isEqualTo("Enter the power target between 1000 and 4000 W, in steps of 1 W.");
            assertThat(browser.evaluate("document.getElementById('action-dialog').open")
                            .asBoolean())
                    .isFalse();
        } finally {
            demo.power().switchOutlet(RACK, OUTLET, true);
        }
    }

    /** The Avalon's {@code estats} reply over its CGMiner RPC on loopback: the reply, then the server closes. */
    private static String estats(int port) throws Exception {
        try (java.net.Socket socket = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream()
                    .write("{\"command\":\"estats\"}".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }

    private static String text(BrowserPage browser, String id) throws Exception {
        return browser.evaluate("document.getElementById('" + id + "').textContent")
                .asText();
    }

    @Test
    void thePageHoldsTheDeviceStream_andAMinerCutOffShowsOfflineWithoutAPoll() throws Exception {
        String dark = DemoSite.minerId(DARK);
        try (BrowserPage browser =
                chromium.open(Addresses.http(demo.controller().httpAddress()))) {
            browser.awaitTrue("!document.getElementById('login').hidden", PAGE_WAIT);
            browser.type("login-name", DemoSite.VIEWER);
            browser.type("login-password", demo.apiPassword(DemoSite.VIEWER));
            browser.click("login-submit");
            // Count the page's reads of the device (what the poll reads each time) and of its history.
            browser.evaluate("window.deviceReads = 0; window.historyReads = 0; (function () { var real = window.fetch;"
                    + " window.fetch = function (url, options) {"
                    + " if (String(url) === '/api/v1/devices/" + dark + "') { window.deviceReads++; }"
                    + " if (String(url).indexOf('/api/v1/devices/" + dark
                    + "/history?') === 0) { window.historyReads++; }"
                    + " return real(url, options); }; })(), true");
            String link = "document.querySelector('#devices a[href=\"#/device/" + dark + "\"]')";
            browser.awaitTrue(link, PAGE_WAIT);
            browser.evaluate(link + ".click(), true");
            browser.awaitTrue(
                    "document.getElementById('device-page').dataset.stream === 'live'"
                            + " && document.getElementById('device-status').textContent.indexOf('ONLINE') === 0"
                            + " && document.querySelectorAll('#device-timeline tbody tr').length > 0",
                    PAGE_WAIT);
            int lines = browser.evaluate("document.querySelectorAll('#device-timeline tbody tr').length")
                    .asInt();
            // The chart was read from its history once the page opened; the stream says when to read it again.
            browser.awaitTrue("window.historyReads >= 1", PAGE_WAIT);

            demo.simulator().miner(DARK).cutPower(Instant.now());
            browser.awaitTrue(
                    "document.getElementById('device-status').textContent.indexOf('OFFLINE') === 0"
                            + " && document.querySelectorAll('#device-timeline tbody tr').length > " + lines
                            + " && document.querySelector('#device-timeline tbody tr').cells[1].textContent === 'OFFLINE'",
                    PAGE_WAIT);
            assertThat(browser.evaluate("document.getElementById('device-page').dataset.stream")
                            .asText())
                    .isEqualTo("live");
            // Everything came over the stream: the page never read the device itself.
            assertThat(browser.evaluate("window.deviceReads").asInt()).isZero();

            // Leaving the page closes its stream: the controller holds no device page's stream any more.
            browser.evaluate("window.location.hash = '#/', true");
            browser.awaitTrue("getComputedStyle(document.getElementById('devices')).display !== 'none'", PAGE_WAIT);
            assertThat(browser.evaluate("'stream' in document.getElementById('device-page').dataset")
                            .asBoolean())
                    .isFalse();
            await().atMost(PAGE_WAIT)
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(URI.create(Addresses.http(
                                                            demo.controller().httpAddress()) + "metrics"))
                                            .header("Authorization", DemoSiteIT.basic(demo, DemoSite.VIEWER))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body()
                            .lines()
                            .anyMatch(line -> line.matches("headroom_http_streams_device(\\{.*})? 0(\\.0)?")));

            // A browser without EventSource: the page polls, and says so.
            browser.evaluate("window.EventSource = undefined, true");
            browser.evaluate("window.location.hash = '#/device/" + dark + "', true");
            browser.awaitTrue(
                    "document.getElementById('device-page').dataset.stream === 'polling'"
                            + " && window.deviceReads >= 1"
                            + " && document.getElementById('device-status').textContent.indexOf('OFFLINE') === 0",
                    PAGE_WAIT);
        } finally {
            demo.simulator().miner(DARK).restorePower(Instant.now(), Duration.ZERO);
        }
    }

    @Test
    void theChartHasThePointsTheApiReturned_andAnUnknownDeviceIsSaidInWords() throws Exception {
        try (BrowserPage browser =
                chromium.open(Addresses.http(demo.controller().httpAddress()))) {
            browser.awaitTrue("!document.getElementById('login').hidden", PAGE_WAIT);
            browser.type("login-name", DemoSite.VIEWER);
            browser.type("login-password", demo.apiPassword(DemoSite.VIEWER));
            browser.click("login-submit");
            // Record every history answer the page gets, as it gets it.
            browser.evaluate("window.historyReplies = []; (function () { var real = window.fetch;"
                    + " window.fetch = function (url, options) { return real(url, options).then(function (r) {"
                    + " if (String(url).indexOf('/history?') >= 0) { return r.clone().json().then(function (b) {"
                    + " window.historyReplies.push(b); return r; }); } return r; }); }; })(), true");
            String link = "document.querySelector('#devices a[href=\"#/device/" + MINER + "\"]')";
            browser.awaitTrue(link, PAGE_WAIT);
            browser.evaluate(link + ".click(), true");

            browser.awaitTrue(
                    "document.getElementById('device-heading').textContent === 'Device " + MINER + "'", PAGE_WAIT);
            assertThat(browser.evaluate("document.activeElement.id").asText()).isEqualTo("device-heading");
            // A viewer gets no Actions: the section stays hidden and holds no button (the API refuses a viewer too).
            browser.awaitTrue(
                    "document.getElementById('device-status').textContent.indexOf('ONLINE') === 0", PAGE_WAIT);
            assertThat(browser.evaluate("document.getElementById('device-actions-section').hidden")
                            .asBoolean())
                    .isTrue();
            assertThat(browser.evaluate("document.querySelectorAll('#device-actions-section button').length")
                            .asInt())
                    .isZero();
            assertThat(browser.evaluate("getComputedStyle(document.getElementById('devices')).display")
                            .asText())
                    .isEqualTo("none");
            // The chart shows the newest answer, and it has points (the demo's agent reports every second).
            String chartIsLastReply = "(function () { var h = window.historyReplies[window.historyReplies.length - 1];"
                    + " if (!h || h.points.length < 2) { return false; }"
                    + " var rows = document.querySelectorAll('#device-chart-points tbody tr');"
                    + " var chart = document.getElementById('device-chart');"
                    + " return !chart.hidden && Number(chart.dataset.points) === h.points.length"
                    + " && rows.length === h.points.length"
                    + " && rows[rows.length - 1].cells[1].textContent.indexOf(h.unit) > 0; })()";
            browser.awaitTrue(chartIsLastReply, PAGE_WAIT);
            JsonNode reply = browser.evaluate("window.historyReplies[window.historyReplies.length - 1]");
            assertThat(reply.path("metric").asText()).isEqualTo("power");
            assertThat(reply.path("unit").asText()).isEqualTo("W");
            assertThat(reply.path("range").asText()).isEqualTo("1h");
            int n = reply.path("points").size();

            // Drawn: one vertex per point, left to right in time, higher values higher up.
            JsonNode vertices = browser.evaluate(
                    "document.querySelector('#device-chart .chart-mean').getAttribute('d')"
                            + ".trim().split(/\\s*[ML]/).filter(Boolean).map(function (p) { return p.trim().split(' ').map(Number); })");
            assertThat(vertices.size()).isEqualTo(n);
            for (int i = 1; i < n; i++) {
                assertThat(vertices.get(i).get(0).asDouble())
                        .isGreaterThan(vertices.get(i - 1).get(0).asDouble());
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double vi = reply.path("points").get(i).path("value").asDouble();
                    double vj = reply.path("points").get(j).path("value").asDouble();
                    if (vi > vj) {
                        assertThat(vertices.get(i).get(1).asDouble())
                                .as("point %d (%s W) above point %d (%s W)", i, vi, j, vj)
                                .isLessThan(vertices.get(j).get(1).asDouble());
                    }
                }
            }
            // The table beside the chart lists the same times.
            JsonNode times = browser.evaluate("Array.from(document.querySelectorAll('#device-chart-points tbody tr'))"
                    + ".map(function (r) { return r.cells[0].textContent; })");
            // The page writes a time on a whole minute without its ":00" seconds (10 s points: one in six).
            assertThat(times.get(0).asText())
                    .isEqualTo(reply.path("points")
                            .get(0)
                            .path("at")
                            .asText()
                            .replace("T", " ")
                            .replaceFirst(":00Z$", "Z"));
            // Every metric with its unit and quality, the status with its reason, the capabilities.
            assertThat(browser.evaluate("Array.from(document.querySelectorAll('#device-metrics tbody tr'))"
                                    + ".filter(function (r) { return r.cells[0].textContent === 'power'; })"
                                    + ".map(function (r) { return r.cells[2].textContent; }).join()")
                            .asText())
                    .isEqualTo("W");
            assertThat(browser.evaluate("document.getElementById('device-status').textContent")
                            .asText())
                    .startsWith("ONLINE");
            assertThat(browser.evaluate("document.querySelectorAll('#device-capabilities tbody tr').length")
                            .asInt())
                    .isPositive();
            // The miner's economics (issue 10): the break-even the API computes from its measured efficiency.
            String breakEvenShown = "(function () { var dt = Array.from(document.querySelectorAll('#device-facts dt'))"
                    + ".filter(function (t) { return t.textContent === 'Break-even energy price'; })[0];"
                    + " return dt ? dt.nextElementSibling.textContent : ''; })()";
            browser.awaitTrue(breakEvenShown + ".indexOf(' USD/MWh') > 0", PAGE_WAIT);
            HttpResponse<String> device = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(Addresses.http(
                                                    demo.controller().httpAddress()) + "api/v1/devices/" + MINER))
                                    .header("Authorization", DemoSiteIT.basic(demo, DemoSite.VIEWER))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            double breakEven = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(device.body())
                    .path("economics")
                    .path("break_even_usd_per_mwh")
                    .asDouble();
            assertThat(breakEven).as(device.body()).isPositive();
            String shown = browser.evaluate(breakEvenShown).asText();
            assertThat(Double.parseDouble(shown.substring(0, shown.indexOf(' ')).replace(",", "")))
                    .isCloseTo(breakEven, org.assertj.core.data.Percentage.withPercentage(5));
            // The status timeline, newest first, is the API's (issue 11); the flags are the API's too.
            HttpResponse<String> timeline = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(
                                            Addresses.http(demo.controller().httpAddress()) + "api/v1/devices/" + MINER
                                                    + "/timeline"))
                                    .header("Authorization", DemoSiteIT.basic(demo, DemoSite.VIEWER))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            JsonNode changes = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(timeline.body())
                    .path("changes");
            assertThat(changes.size()).as(timeline.body()).isPositive();
            browser.awaitTrue(
                    "document.querySelectorAll('#device-timeline tbody tr').length === " + changes.size(), PAGE_WAIT);
            assertThat(browser.evaluate("document.querySelector('#device-timeline tbody tr').cells[1].textContent")
                            .asText())
                    .isEqualTo(changes.get(changes.size() - 1).path("status").asText());
            JsonNode flags = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(device.body())
                    .path("flags");
            assertThat(browser.evaluate("document.getElementById('device-page-flags').textContent")
                            .asText())
                    .isEqualTo(
                            flags.isEmpty()
                                    ? "none"
                                    : flags.fieldNames().next() + " "
                                            + flags.elements().next().asText());
            Path shot = Path.of("target", "screenshots", "device-page.png");
            browser.screenshot(shot);
            assertThat(Files.size(shot)).isPositive();

            // The day: from the keyboard's button, the day's answer is drawn.
            browser.evaluate("document.getElementById('device-range-1d').focus(), true");
            browser.click("device-range-1d");
            browser.awaitTrue(
                    "window.historyReplies[window.historyReplies.length - 1].range === '1d'"
                            + " && document.getElementById('device-range-1d').getAttribute('aria-pressed') === 'true'"
                            + " && document.getElementById('device-chart-status').textContent.indexOf('last day') > 0",
                    PAGE_WAIT);

            // An unknown device, in words; no chart, no blank page.
            browser.evaluate("window.location.hash = '#/device/no-such-miner', true");
            browser.awaitTrue("!document.getElementById('device-error').hidden", PAGE_WAIT);
            assertThat(browser.evaluate("document.getElementById('device-error').textContent")
                            .asText())
                    .startsWith("No device \u2018no-such-miner\u2019 is known to this controller");
            assertThat(browser.evaluate("document.getElementById('device-body').hidden")
                            .asBoolean())
                    .isTrue();

            // Back to the site.
            browser.evaluate("window.location.hash = '#/', true");
            browser.awaitTrue("getComputedStyle(document.getElementById('devices')).display !== 'none'", PAGE_WAIT);
        }
    }

    @Test
    void anOperatorFetchesTheRawLastReply_andThePageShowsTheTextTheApiReturned() throws Exception {
        try (BrowserPage browser =
                chromium.open(Addresses.http(demo.controller().httpAddress()) + "#/device/" + MINER)) {
            browser.awaitTrue("!document.getElementById('login').hidden", PAGE_WAIT);
            browser.type("login-name", DemoSite.OPERATOR);
            browser.type("login-password", demo.apiPassword(DemoSite.OPERATOR));
            browser.click("login-submit");
            // Record every raw-reply answer the page gets, as it gets it.
            browser.evaluate("window.rawReplies = []; (function () { var real = window.fetch;"
                    + " window.fetch = function (url, options) { return real(url, options).then(function (r) {"
                    + " if (String(url).indexOf('/last-reply?command=') >= 0) { return r.clone().json()"
                    + ".then(function (b) { window.rawReplies.push(b); return r; }); } return r; }); }; })(), true");
            browser.awaitTrue(
                    "document.getElementById('raw-reply-fetch') !== null"
                            + " && document.getElementById('raw-reply-fetch').offsetParent !== null",
                    PAGE_WAIT);
            assertThat(browser.evaluate("document.getElementById('raw-reply-text').hidden")
                            .asBoolean())
                    .isTrue();

            // The agent's first poll may still be under way: press again until the page shows a reply.
            String shown = "!document.getElementById('raw-reply-text').hidden";
            long deadline = System.nanoTime() + PAGE_WAIT.toNanos();
            while (!browser.evaluate(shown).asBoolean() && System.nanoTime() < deadline) {
                browser.awaitTrue("!document.getElementById('raw-reply-fetch').disabled", PAGE_WAIT);
                if (!browser.evaluate(shown).asBoolean()) {
                    browser.click("raw-reply-fetch");
                    browser.awaitTrue(
                            "!document.getElementById('raw-reply-fetch').disabled"
                                    + " && document.getElementById('raw-reply-status').textContent.indexOf('Asking') < 0",
                            PAGE_WAIT);
                }
            }
            browser.awaitTrue(shown, PAGE_WAIT);
            JsonNode answer = browser.evaluate("window.rawReplies[window.rawReplies.length - 1]");
            String reply = answer.path("lastReply").path("reply").asText();
            assertThat(reply).contains("### summary", "\"STATUS\"");
            assertThat(browser.evaluate("document.getElementById('raw-reply-text').textContent")
                            .asText())
                    .isEqualTo(reply);
            assertThat(browser.evaluate("document.getElementById('raw-reply-text').tagName")
                            .asText())
                    .isEqualTo("PRE");
            assertThat(browser.evaluate("document.getElementById('raw-reply-facts').textContent")
                            .asText())
                    .contains(answer.path("lastReply").path("request").asText().split("\n")[0])
                    .contains("Truncatedno");
            assertThat(browser.evaluate("document.getElementById('raw-reply-status').textContent")
                            .asText())
                    .isEqualTo("The agent sent the last reply.");
            assertThat(browser.evaluate("document.getElementById('raw-reply-copy').hidden")
                            .asBoolean())
                    .isFalse();
            assertThat(Files.size(browser.saveView("device-raw-reply.png", "raw-reply")))
                    .isPositive();
        }
    }

    @Test
    void aViewerSeesWhyThereIsNoFetchButton() throws Exception {
        try (BrowserPage browser =
                chromium.open(Addresses.http(demo.controller().httpAddress()) + "#/device/" + MINER)) {
            browser.awaitTrue("!document.getElementById('login').hidden", PAGE_WAIT);
            browser.type("login-name", DemoSite.VIEWER);
            browser.type("login-password", demo.apiPassword(DemoSite.VIEWER));
            browser.click("login-submit");
            browser.awaitTrue(
                    "document.getElementById('raw-reply-role') !== null"
                            + " && !document.getElementById('raw-reply-role').hidden",
                    PAGE_WAIT);
            assertThat(browser.evaluate("document.getElementById('raw-reply-role').textContent")
                            .asText())
                    .isEqualTo("Only an operator or an admin can fetch a device\u2019s raw reply (you are viewer).");
            assertThat(browser.evaluate("document.getElementById('raw-reply-fetch').hidden")
                            .asBoolean())
                    .isTrue();
        }
    }
}
