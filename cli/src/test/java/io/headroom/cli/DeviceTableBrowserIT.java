package io.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headroom.protocol.Mode;
import io.headroom.simulator.miner.MinerModel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The racks-and-devices table (issue 11) over a demo site in Debian's Chromium: a flag's quick
 * filter finds exactly the miner the simulator cut off, with the reason on its row; a selection
 * sleep goes through the confirmation (count, skipped devices, the controller's dry-run) and sleeps the
 * simulated miners, each result in words; a dry-run that fails is said in words and the dialog falls back to
 * the page's estimate; a viewer gets no action buttons and the API refuses the
 * viewer's command; a saved view survives a reload, opens from its link, and a corrupt stored view
 * is set aside with a message while the table still shows every device. Saves
 * {@code target/screenshots/devices-table.png} and {@code devices-dry-run.png} (the confirmation).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DeviceTableBrowserIT {
    private static final int MINERS = 6;
    /** The miners, a PDU per agent's rack and the feed's meter. */
    private static final int DEVICES = MINERS + 2 + 1;

    /** The miner whose supply the flag test cuts; the selection test sleeps the first two. */
    private static final int DARK = 2;
    /** The miner the triage test heats, and the one whose board it fails. */
    private static final int HOT = 4;

    private static final int WEAK = 5;

    private static final Duration PAGE_WAIT = Duration.ofSeconds(30);
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
                new DemoOptions("devices-table", MINERS, 2, "127.0.0.1", 0, 0, 13L, Duration.ofSeconds(1), workDir));
        page = Addresses.http(demo.controller().httpAddress());
        await().atMost(PAGE_WAIT)
                .pollInterval(Duration.ofMillis(250))
                .until(() -> get("api/v1/devices").size() == DEVICES);
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
            awaitShown(browser, DEVICES);
            return browser;
        } catch (Exception | AssertionError e) {
            browser.close();
            throw e;
        }
    }

    private static void awaitShown(BrowserPage browser, int shown) {
        browser.awaitTrue(
                "document.getElementById('devices-count').textContent.indexOf('" + shown + " of " + DEVICES
                        + " devices shown') === 0",
                PAGE_WAIT);
    }

    /** The ids of the rows the grid shows, top to bottom. */
    private static JsonNode shownIds(BrowserPage browser) throws Exception {
        return browser.evaluate("Array.from(document.querySelectorAll('#devices .vgrid-body-row:not([hidden])'))"
                + ".sort(function (a, b) { return a.dataset.index - b.dataset.index; })"
                + ".map(function (r) { return r.dataset.id; })");
    }

    private static String rowCell(String id, int column) {
        return "document.querySelector('#devices .vgrid-body-row[data-id=\"" + id + "\"]').children[" + column
                + "].textContent";
    }

    /**
     * The simulator cannot make a miner hot within seconds (its inlet is capped at 60 °C and its chips follow with
     * a 60 s time constant: about 40 s to 85 °C), so the flag the test produces is {@code offline}: the miner's
     * supply cut, its API dark, and its agent reports it OFFLINE.
     */
    @Test
    void theOfflineFlag_findsExactlyTheMinerCutOff_andSaysWhy() throws Exception {
        String dark = DemoSite.minerId(DARK);
        try (BrowserPage browser = signedIn(DemoSite.OPERATOR)) {
            demo.simulator().miner(DARK).cutPower(Instant.now());
            await().atMost(PAGE_WAIT)
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> get("api/v1/devices/" + dark)
                            .path("status")
                            .asText()
                            .equals("OFFLINE"));
            String button = "document.querySelector('#device-flags [data-flag=\"offline\"]')";
            browser.awaitTrue(button + ".textContent === 'offline 1'", PAGE_WAIT);
            browser.evaluate(button + ".click(), true");

            awaitShown(browser, 1);
            assertThat(shownIds(browser)).containsExactly(JSON.valueToTree(dark));
            assertThat(browser.evaluate(button + ".getAttribute('aria-pressed')")
                            .asText())
                    .isEqualTo("true");
            // The why column: the flag and its reason, in words.
            assertThat(browser.evaluate(rowCell(dark, 6)).asText()).startsWith("offline: ");
            // Cleared, every device is back.
            browser.click("filter-clear");
            awaitShown(browser, DEVICES);
        } finally {
            demo.simulator().miner(DARK).restorePower(Instant.now(), Duration.ZERO);
        }
    }

    /**
     * The "a filter finds exactly the hot and under-hashing devices the simulator was told to produce". The
     * hot miner: its inlet at the model's 60 °C cap and its model run 90 s ahead of the wall clock (the model's own
     * time, which the RPC's reads then leave alone until the clock catches up), so its chips are at about 95 °C now
     * instead of in 40 s. The weak one: a hash board failed, so it hashes a third less than its nameplate.
     */
    @Test
    void theHotAndUnderHashingFilters_findExactlyTheMinersTheSimulatorWasToldToProduce() throws Exception {
        String hot = DemoSite.minerId(HOT);
        String weak = DemoSite.minerId(WEAK);
        MinerModel heated = demo.simulator().miner(HOT).model();
        MinerModel failing = demo.simulator().miner(WEAK).model();
        double inlet = heated.inletTempC();
        try (BrowserPage browser = signedIn(DemoSite.VIEWER)) {
            heated.setInletTempC(60);
            heated.advanceTo(Instant.now().plus(Duration.ofSeconds(90)));
            failing.failBoard(0);
            await().atMost(PAGE_WAIT).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                assertThat(ids(get("api/v1/devices?flag=hot")))
                        .as("hot: %s", get("api/v1/devices/" + hot))
                        .containsExactly(hot);
                assertThat(ids(get("api/v1/devices?flag=under-hashing")))
                        .as("under-hashing: %s", get("api/v1/devices/" + weak))
                        .containsExactly(weak);
            });

            String hotButton = "document.querySelector('#device-flags [data-flag=\"hot\"]')";
            String weakButton = "document.querySelector('#device-flags [data-flag=\"under-hashing\"]')";
            browser.awaitTrue(hotButton + ".textContent === 'hot 1'", PAGE_WAIT);
            browser.awaitTrue(weakButton + ".textContent === 'under-hashing 1'", PAGE_WAIT);

            browser.evaluate(hotButton + ".click(), true");
            awaitShown(browser, 1);
            assertThat(shownIds(browser)).containsExactly(JSON.valueToTree(hot));
            assertThat(browser.evaluate(rowCell(hot, 6)).asText()).contains("hot: hottest chip ");

            browser.evaluate(hotButton + ".click(), true");
            browser.evaluate(weakButton + ".click(), true");
            awaitShown(browser, 1);
            assertThat(shownIds(browser)).containsExactly(JSON.valueToTree(weak));
            assertThat(browser.evaluate(rowCell(weak, 6)).asText()).contains("under-hashing: ");

            // Both pressed: the devices with either flag.
            browser.evaluate(hotButton + ".click(), true");
            awaitShown(browser, 2);
            assertThat(shownIds(browser)).containsExactlyInAnyOrder(JSON.valueToTree(hot), JSON.valueToTree(weak));
        } finally {
            heated.setInletTempC(inlet);
            failing.repairBoard(0);
        }
    }

    /** The ids of a page of {@code GET /api/v1/devices?flag=…}. */
    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.path("devices").forEach(d -> ids.add(d.path("id").asText()));
        return ids;
    }

    @Test
    void aSelectionSleep_confirmsTheCountAndSkipped_sleepsTheMiners_andSaysEachResult() throws Exception {
        String first = DemoSite.minerId(0);
        String second = DemoSite.minerId(1);
        try (BrowserPage browser = signedIn(DemoSite.OPERATOR)) {
            assertThat(browser.evaluate("document.getElementById('device-actions').hidden")
                            .asBoolean())
                    .isFalse();
            // A click, a shift-click for the range, and a PDU (which cannot sleep) by itself.
            select(browser, first);
            browser.awaitTrue(checkbox(second) + " !== null", PAGE_WAIT);
            browser.evaluate(checkbox(second)
                    + ".dispatchEvent(new MouseEvent('click', { bubbles: true, shiftKey: true })), true");
            select(browser, "pdu-1");
            browser.awaitTrue(
                    "document.getElementById('devices-count').textContent.indexOf('3 selected') > 0", PAGE_WAIT);

            browser.click("action-sleep");
            browser.awaitTrue("document.getElementById('action-dialog').open", PAGE_WAIT);
            // The controller's dry-run answers before the command can be confirmed.
            browser.awaitTrue(
                    "!document.getElementById('action-confirm').disabled"
                            + " && document.getElementById('action-dialog').getAttribute('aria-busy') === null",
                    PAGE_WAIT);
            assertThat(browser.evaluate("document.getElementById('action-dry-run').textContent")
                            .asText())
                    .isEqualTo("The controller’s dry-run (nothing has been sent):");
            assertThat(browser.evaluate("document.getElementById('action-title').textContent")
                            .asText())
                    .isEqualTo("Sleep 2 of the 3 selected devices?");
            assertThat(browser.evaluate("document.getElementById('action-skipped').textContent")
                            .asText())
                    .startsWith("1 will be skipped: pdu-1 (does not support sleep");
            assertThat(browser.evaluate("document.getElementById('action-preview').textContent")
                            .asText())
                    .startsWith("The controller expects the 2 to go from ")
                    .contains("(−")
                    .contains("estimates (" + first + ": estimate: asleep at 5 % of its nameplate");
            // The limits the two miners' sleep moves: their rack's PDU, feed and the site, each before → after.
            JsonNode limits = browser.evaluate("Array.from(document.querySelectorAll('#action-limits li'))"
                    + ".map(function (li) { return li.textContent; })");
            assertThat(limits.toString()).contains("site ").contains(" → ").contains("margin ");
            assertThat(browser.evaluate("document.getElementById('action-engine').textContent")
                            .asText())
                    .startsWith("On its next tick the engine would");
            // Keyboard: the dialog opened on Cancel; Tab reaches Confirm.
            assertThat(browser.evaluate("document.activeElement.id").asText()).isEqualTo("action-cancel");
            browser.resize(1500, 1000);
            Path preview = Path.of("target", "screenshots", "devices-dry-run.png");
            browser.screenshot(preview, "action-dialog");
            assertThat(Files.size(preview)).isPositive();
            browser.click("action-confirm");

            browser.awaitTrue(
                    "document.getElementById('action-progress').textContent"
                            + " === 'Finished: 2 of 2 accepted, 0 refused, 1 skipped.'",
                    PAGE_WAIT);
            browser.awaitTrue(
                    "Array.from(document.querySelectorAll('#action-results-list li.result-APPLIED')).length === 2",
                    PAGE_WAIT);
            assertThat(browser.evaluate("Array.from(document.querySelectorAll('#action-results-list li'))"
                                    + ".map(function (li) { return li.textContent; })")
                            .toString())
                    .contains("pdu-1: skipped, does not support sleep")
                    .contains(first + ": sleep done, confirmed by read-back")
                    .contains(second + ": sleep done, confirmed by read-back");
            assertThat(demo.simulator().miner(0).model().mode()).isEqualTo(Mode.SLEEP);
            assertThat(demo.simulator().miner(1).model().mode()).isEqualTo(Mode.SLEEP);
            assertThat(demo.simulator().miner(3).model().mode()).isEqualTo(Mode.NORMAL);
            browser.awaitTrue(
                    "document.querySelector('#devices .vgrid-body-row[data-id=\"" + first
                            + "\"] .mode-sleep') !== null",
                    PAGE_WAIT);
            browser.resize(1500, 1000);
            Path shot = Path.of("target", "screenshots", "devices-table.png");
            browser.screenshot(shot, "devices-section");
            assertThat(Files.size(shot)).isPositive();
        } finally {
            post("api/v1/devices/" + first + "/commands", "{\"verb\":\"wake\"}");
            post("api/v1/devices/" + second + "/commands", "{\"verb\":\"wake\"}");
        }
    }

    @Test
    void aDryRunThatFails_isSaidInWords_andTheDialogFallsBackToThePagesEstimate() throws Exception {
        String miner = DemoSite.minerId(3);
        try (BrowserPage browser = signedIn(DemoSite.OPERATOR)) {
            // The controller's dry-run answers 503 (as a busy server would); every other request goes through.
            browser.evaluate("(function () { var real = window.fetch; window.fetch = function (url, init) {"
                    + " if (String(url).indexOf('/api/v1/commands/dry-run') >= 0) {"
                    + " return Promise.resolve(new Response('{\\\"error\\\":\\\"server busy; retry shortly\\\"}',"
                    + " { status: 503 })); } return real(url, init); }; return true; })()");
            select(browser, miner);
            browser.click("action-wake");
            browser.awaitTrue(
                    "document.getElementById('action-dialog').open"
                            + " && !document.getElementById('action-confirm').disabled",
                    PAGE_WAIT);
            assertThat(browser.evaluate("document.getElementById('action-dry-run').textContent")
                            .asText())
                    .isEqualTo("The controller could not preview this command (server busy; retry shortly), so no"
                            + " limit or engine reaction is shown; the figures below are the page’s own estimate.");
            assertThat(browser.evaluate("document.getElementById('action-title').textContent")
                            .asText())
                    .isEqualTo("Wake 1 of the 1 selected devices?");
            assertThat(browser.evaluate("document.getElementById('action-preview').textContent")
                            .asText())
                    .startsWith("Estimate: the 1 draw ");
            browser.click("action-cancel");
            browser.awaitTrue("!document.getElementById('action-dialog').open", PAGE_WAIT);
        }
        assertThat(demo.simulator().miner(3).model().mode()).isEqualTo(Mode.NORMAL);
    }

    @Test
    void locateOnASelection_isAskedOfTheDryRun_whichSkipsTheMinersThatHaveNoLocate() throws Exception {
        String miner = DemoSite.minerId(2);
        try (BrowserPage browser = signedIn(DemoSite.OPERATOR)) {
            select(browser, miner);
            select(browser, "pdu-1");
            browser.awaitTrue(
                    "document.getElementById('devices-count').textContent.indexOf('2 selected') > 0", PAGE_WAIT);
            browser.click("action-locate-on");
            browser.awaitTrue(
                    "document.getElementById('action-dialog').open"
                            + " && document.getElementById('action-dialog').getAttribute('aria-busy') === null",
                    PAGE_WAIT);
            // The demo's LuxOS profile declares no locate (LuxOS's ledset is not in it), nor does the PDU: both are
            // skipped in the command service's words, and nothing can be confirmed.
            assertThat(browser.evaluate("document.getElementById('action-title').textContent")
                            .asText())
                    .isEqualTo("Turn the locate LED on for 0 of the 2 selected devices?");
            assertThat(browser.evaluate("document.getElementById('action-skipped').textContent")
                            .asText())
                    .startsWith("2 will be skipped: " + miner + " (does not support locate-on; it supports ")
                    .contains("pdu-1 (does not support locate-on");
            assertThat(browser.evaluate("document.getElementById('action-confirm').disabled")
                            .asBoolean())
                    .isTrue();
            browser.click("action-cancel");
            browser.awaitTrue("!document.getElementById('action-dialog').open", PAGE_WAIT);
        }
    }

    /**
     * Clicks the row's checkbox once the grid has drawn the row: the count line changes as the rows
     * arrive, the rows are drawn in the next animation frame (CI once clicked a row not drawn yet).
     */
    private static void select(BrowserPage browser, String id) throws Exception {
        browser.awaitTrue(checkbox(id) + " !== null", PAGE_WAIT);
        browser.evaluate(checkbox(id) + ".click(), true");
    }

    private static String checkbox(String id) {
        return "document.querySelector('#devices .vgrid-body-row[data-id=\"" + id + "\"] input.row-select')";
    }

    @Test
    void aViewer_seesNoActionButtons_andTheApiRefusesTheViewersCommand() throws Exception {
        try (BrowserPage browser = signedIn(DemoSite.VIEWER)) {
            assertThat(browser.evaluate("document.getElementById('device-actions').hidden")
                            .asBoolean())
                    .isTrue();
            assertThat(browser.evaluate("document.getElementById('action-sleep').getClientRects().length")
                            .asInt())
                    .as("the sleep button is not rendered")
                    .isZero();
            // The viewer's own session, writing as the page would.
            JsonNode refused = browser.evaluate(
                    "fetch('/api/v1/devices/" + DemoSite.minerId(3)
                            + "/commands', { method: 'POST', headers: { 'Content-Type': 'application/json' },"
                            + " body: JSON.stringify({ verb: 'sleep' }) })"
                            + ".then(function (r) { return r.json().then(function (b) { return { status: r.status, body: b }; }); })");
            assertThat(refused.path("status").asInt()).as(refused.toString()).isEqualTo(403);
            assertThat(refused.path("body").path("error").asText()).isNotEmpty();
        }
        assertThat(demo.simulator().miner(3).model().mode()).isEqualTo(Mode.NORMAL);
    }

    @Test
    void aSavedView_survivesAReload_opensFromItsLink_andACorruptStoreIsSetAsideWithAMessage() throws Exception {
        try (BrowserPage browser = signedIn(DemoSite.VIEWER)) {
            browser.type("filter-q", "miner");
            browser.evaluate("(function () { var s = document.getElementById('filter-sort'); s.value = 'power';"
                    + " s.dispatchEvent(new Event('change')); var d = document.getElementById('filter-dir');"
                    + " d.value = 'desc'; d.dispatchEvent(new Event('change')); return true; })()");
            awaitShown(browser, MINERS);
            browser.type("view-name", "miners by power");
            browser.click("view-save");
            String link = browser.evaluate("document.getElementById('view-link').getAttribute('href')")
                    .asText();
            assertThat(link).isEqualTo("#/devices?q=miner&sort=power&dir=desc");

            // A reload: the same browser profile keeps the session and the view.
            browser.navigate(page);
            awaitShown(browser, DEVICES);
            assertThat(browser.evaluate("Array.from(document.getElementById('view-select').options)"
                                    + ".map(function (o) { return o.value; })")
                            .toString())
                    .contains("\"miners by power\"");
            browser.evaluate("window.location.hash = '#/view/' + encodeURIComponent('miners by power'), true");
            awaitShown(browser, MINERS);
            assertThat(browser.evaluate("document.getElementById('filter-sort').value")
                            .asText())
                    .isEqualTo("power");
            assertThat(browser.evaluate("document.querySelector('[role=columnheader][aria-sort=descending]')"
                                    + ".textContent")
                            .asText())
                    .isEqualTo("Power (W)");

            // The shareable link carries the filters themselves.
            browser.evaluate("window.location.hash = '#/devices', true");
            awaitShown(browser, DEVICES);
            browser.evaluate("window.location.hash = '" + link + "', true");
            awaitShown(browser, MINERS);

            // Keyboard: into the grid, down a row, Space selects it, Enter opens its device page.
            browser.evaluate("document.getElementById('devices').focus(), true");
            browser.press("ArrowDown");
            browser.press(" ");
            browser.awaitTrue(
                    "document.getElementById('devices-count').textContent.indexOf('1 selected') > 0"
                            + " && document.querySelector('#devices .vgrid-body-row.focused[aria-selected=\"true\"]')",
                    PAGE_WAIT);
            String focused = browser.evaluate("document.querySelector('#devices .vgrid-body-row.focused').dataset.id")
                    .asText();
            assertThat(browser.evaluate("document.querySelector('#devices .vgrid-body-row.focused')"
                                    + ".getAttribute('aria-selected')")
                            .asText())
                    .isEqualTo("true");
            assertThat(browser.evaluate("document.getElementById('devices').getAttribute('aria-activedescendant')"
                                    + " === document.querySelector('#devices .vgrid-body-row.focused').id")
                            .asBoolean())
                    .isTrue();
            browser.press("Enter");
            browser.awaitTrue(
                    "document.getElementById('device-heading') && document.getElementById('device-heading')"
                            + ".textContent === 'Device " + focused + "'",
                    PAGE_WAIT);

            // A hostile link: unknown flags and sorts dropped, bad percent-encoding ignored, an oversize search cut.
            browser.evaluate("window.location.hash = '#/devices?flag=nope,offline,offline&sort=evil&dir=up"
                    + "&kind=%E0%A4%A&q=" + "x".repeat(5000) + "', true");
            browser.awaitTrue("document.getElementById('filter-q').value.length === 200", PAGE_WAIT);
            assertThat(browser.evaluate("JSON.stringify(window.HeadroomTable.filters())")
                            .asText())
                    .isEqualTo("{\"flags\":[\"offline\"],\"status\":\"\",\"kind\":\"\",\"where\":\"\",\"q\":\""
                            + "x".repeat(200) + "\",\"sort\":\"id\",\"dir\":\"asc\"}");
            awaitShown(browser, 0);
            assertThat(browser.evaluate("document.getElementById('devices-none').hidden")
                            .asBoolean())
                    .isFalse();

            // A corrupt store: set aside, said in words, and the table still shows every device.
            browser.evaluate("localStorage.setItem('headroom.deviceViews', '{\"version\": 1, \"views\": [tru'), true");
            browser.navigate(page);
            awaitShown(browser, DEVICES);
            assertThat(browser.evaluate("document.getElementById('views-message').hidden")
                            .asBoolean())
                    .isFalse();
            assertThat(browser.evaluate("document.getElementById('views-message').textContent")
                            .asText())
                    .startsWith("The saved views stored in this browser could not be read (it is not valid JSON)");
            assertThat(browser.evaluate("localStorage.getItem('headroom.deviceViews.unreadable')")
                            .asText())
                    .isEqualTo("{\"version\": 1, \"views\": [tru");
            assertThat(browser.evaluate("document.getElementById('view-select').options.length")
                            .asInt())
                    .isEqualTo(1);
        }
    }

    private static JsonNode get(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(page + path))
                        .header("Authorization", DemoSiteIT.basic(demo, DemoSite.VIEWER))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode())
                .as("GET %s: %s", path, response.body())
                .isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static void post(String path, String body) throws Exception {
        HTTP.send(
                HttpRequest.newBuilder(URI.create(page + path))
                        .header("Content-Type", "application/json")
                        .header("Authorization", DemoSiteIT.basic(demo, DemoSite.OPERATOR))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
