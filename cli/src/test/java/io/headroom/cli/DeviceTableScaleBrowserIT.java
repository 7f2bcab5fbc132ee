package io.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.headroom.controller.api.ApiContext;
import io.headroom.controller.api.ApiSecurity;
import io.headroom.controller.api.ApiServer;
import io.headroom.controller.api.ApiServerConfig;
import io.headroom.controller.api.auth.ApiRole;
import io.headroom.controller.api.auth.ApiUser;
import io.headroom.controller.command.CommandService;
import io.headroom.controller.engine.DecisionLog;
import io.headroom.controller.grid.GridEvents;
import io.headroom.controller.mqtt.PasswordHash;
import io.headroom.controller.site.SiteResource;
import io.headroom.controller.store.DeviceRecord;
import io.headroom.controller.store.DeviceState;
import io.headroom.controller.store.MetricSlot;
import io.headroom.controller.store.StateStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
 * The device table at 100,000 devices (issue 11): a controller API over a store of synthetic
 * devices, the page signed in and fed by the stream's snapshot (and not by a poll as well), then
 * scrolled from the top to the bottom while a {@code PerformanceObserver('longtask')} watches the
 * main thread. The page's own work per animation frame stays under one frame (16 ms) at the 95th
 * percentile always; tasks over 50 ms are rare while scrolling (at most one stop in 20), asserted
 * when the machine is not oversubscribed (load average below the core count; else printed), since a
 * single one comes from the machine, not the page (D47). The initial load's long tasks
 * (parsing the snapshot, building the row model) are printed, not asserted. Only a window of rows
 * is ever in the DOM, and the rows shown are the ones the scroll position says.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class DeviceTableScaleBrowserIT {
    private static final int DEVICES = 100_000;
    private static final int PER_AGENT = 1_000;
    private static final int ROW_HEIGHT = 30;
    private static final Duration LOAD_WAIT = Duration.ofSeconds(90);
    private static final String USER = "vera";
    /** The first device's model: device-supplied text goes into the page as text. */
    private static final String HOSTILE = "<img src=x onerror=\"window.pwned=1\">S19";

    private static final String PASSWORD = "vera-pw";

    @TempDir
    static Path workDir;

    private static HeadlessChromium chromium;
    private static PrometheusMeterRegistry registry;
    private static ApiServer server;

    @BeforeAll
    static void start() throws Exception {
        chromium = HeadlessChromium.require(workDir);
        Clock clock = Clock.systemUTC();
        Instant now = clock.instant();
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        StateStore store = new StateStore();
        for (int agent = 0; agent < DEVICES / PER_AGENT; agent++) {
            String agentId = String.format(Locale.ROOT, "agent-%03d", agent);
            List<DeviceRecord> records = new ArrayList<>(PER_AGENT);
            for (int i = 0; i < PER_AGENT; i++) {
                records.add(new DeviceRecord(
                        id(agent * PER_AGENT + i),
                        agentId,
                        "miner",
                        agent == 0 && i == 0 ? HOSTILE : i % 2 == 0 ? "Antminer S19 XP" : "Whatsminer M50S",
                        "luxor/luxos",
                        "2023.05",
                        3010,
                        List.of(
                                new MetricSlot("power", "", "W"),
                                new MetricSlot("hashrate", "", "TH/s"),
                                new MetricSlot("temperature.chip", "", "°C")),
                        List.of(),
                        DeviceState.ONLINE,
                        "",
                        "",
                        now));
            }
            store.replaceAgentDevices(agentId, records);
            for (int i = 0; i < PER_AGENT; i++) {
                int n = agent * PER_AGENT + i;
                DeviceRecord record = store.record(id(n));
                record.apply(0, 2800 + n % 400, now.toEpochMilli(), 0, now.toEpochMilli());
                record.apply(1, 120 + n % 30, now.toEpochMilli(), 0, now.toEpochMilli());
                record.apply(2, 60 + n % 30, now.toEpochMilli(), 0, now.toEpochMilli());
            }
        }
        CommandService commands =
                new CommandService("scale", store, (topic, payload, retain, expiry) -> 0, clock, registry);
        ApiContext context = new ApiContext(
                "scale",
                store,
                commands,
                registry,
                () -> true,
                () -> DEVICES / PER_AGENT,
                clock,
                now,
                SiteResource.unconfigured(clock),
                new DecisionLog(),
                GridEvents.unconfigured());
        List<ApiUser> users = List.of(new ApiUser(USER, ApiRole.VIEWER, PasswordHash.create(PASSWORD.toCharArray())));
        server = ApiServer.start(
                ApiServerConfig.defaults("127.0.0.1", 0, ApiSecurity.plaintext(users, workDir.resolve("audit.jsonl"))),
                context);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    private static long jvmCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static String id(int n) {
        return String.format(Locale.ROOT, "m%06d", n);
    }

    @Test
    void scrollingThrough100kRows_hasNoLongTask_andKeepsOnlyAWindowOfRowsInTheDom() throws Exception {
        String url = "http://127.0.0.1:" + server.localAddress().getPort() + "/";
        try (BrowserPage browser = chromium.open(url)) {
            browser.awaitTrue("!document.getElementById('login').hidden", Duration.ofSeconds(30));
            browser.evaluate("window.__longTasks = []; new PerformanceObserver(function (list) {"
                    + " list.getEntries().forEach(function (e) { window.__longTasks.push(Math.round(e.duration)); });"
                    + " }).observe({ type: 'longtask' });"
                    // What the page loads, and when: the stream's events and every fetch.
                    + " window.__trace = []; var t0 = performance.now();"
                    + " var trace = function (what) { window.__trace.push(Math.round(performance.now() - t0) + ' ' + what); };"
                    + " var realFetch = window.fetch; window.fetch = function (url, o) {"
                    + "   if (String(url).indexOf('/api/v1/devices') === 0) { trace('fetch ' + url); }"
                    + "   return realFetch(url, o); };"
                    + " window.EventSource = class extends EventSource { constructor(url) { super(url); trace('stream');"
                    + "   this.addEventListener('snapshot', function () { trace('snapshot'); });"
                    + "   this.addEventListener('error', function () { trace('stream error ' + this.readyState); }); } };"
                    // The page's own work in each animation frame (the grid renders there).
                    + " window.__frameWork = []; var realRaf = window.requestAnimationFrame.bind(window);"
                    + " window.requestAnimationFrame = function (cb) { return realRaf(function (t) {"
                    + "   var s = performance.now(); cb(t); window.__frameWork.push(performance.now() - s); }); };"
                    + " true");
            browser.type("login-name", USER);
            browser.type("login-password", PASSWORD);
            browser.click("login-submit");
            browser.awaitTrue(
                    "document.getElementById('devices-count').textContent.indexOf('" + DEVICES + " of " + DEVICES
                            + " devices shown') === 0",
                    LOAD_WAIT);
            // Two frames: the first rows are drawn.
            browser.evaluate("new Promise(function (r) { requestAnimationFrame(function () {"
                    + " requestAnimationFrame(function () { r(true); }); }); })");
            JsonNode load = browser.evaluate("window.__longTasks.splice(0)");
            System.out.println(
                    "DeviceTableScaleBrowserIT: long tasks while loading " + DEVICES + " devices (ms): " + load);
            assertThat(browser.evaluate("document.querySelector('#devices .vgrid-body-row:not([hidden]) a')"
                                    + ".textContent")
                            .asText())
                    .isEqualTo(id(0));
            assertThat(browser.evaluate("document.querySelector('#devices .vgrid-body-row[data-id=\"" + id(0)
                                    + "\"]').children[4].textContent")
                            .asText())
                    .isEqualTo(HOSTILE);
            assertThat(browser.evaluate("typeof window.pwned").asText()).isEqualTo("undefined");

            // Top to bottom: the first pages one by one, then 1,000 rows at a time, two frames each (the grid
            // renders in the frame after the scroll), then the last page. Each stop checks that the row at the top
            // of the view is the one the position says. It runs in the page; the test waits for its result.
            long cpuBefore = jvmCpuNanos();
            double loadBefore = java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                    .getSystemLoadAverage();
            int replacedBefore =
                    browser.evaluate("window.HeadroomTable.stats.replaced").asInt();
            browser.evaluate("window.__frameWork = []; window.__scroll = null; (async function () {"
                    + " var v = document.querySelector('#devices .vgrid-viewport');"
                    + " var frames = function () { return new Promise(function (r) { requestAnimationFrame(function () {"
                    + "   requestAnimationFrame(r); }); }); };"
                    + " var max = v.scrollHeight - v.clientHeight; var stops = 0; var wrong = []; var most = 0;"
                    + " var started = performance.now();"
                    + " for (var top = 0; ; top = Math.min(max, top + (stops < 20 ? v.clientHeight : 1000 * "
                    + ROW_HEIGHT + "))) {"
                    + "   v.scrollTop = top; await frames(); stops++;"
                    + "   var want = Math.floor(v.scrollTop / " + ROW_HEIGHT + ");"
                    + "   var rows = Array.from(document.querySelectorAll('#devices .vgrid-body-row:not([hidden])'));"
                    + "   most = Math.max(most, document.querySelectorAll('#devices .vgrid-body-row').length);"
                    + "   var at = rows.filter(function (r) { return Number(r.dataset.index) === want; })[0];"
                    + "   if (!at || at.dataset.id !== 'm' + String(want).padStart(6, '0')) { wrong.push(want); }"
                    + "   if (top >= max) { break; }"
                    + " }"
                    + " var shown = Array.from(document.querySelectorAll('#devices .vgrid-body-row:not([hidden])'))"
                    + "   .map(function (r) { return r.dataset.id; }).sort();"
                    + " window.__scroll = { stops: stops, wrong: wrong, most: most, last: shown[shown.length - 1],"
                    + "   height: v.scrollHeight, ms: Math.round(performance.now() - started),"
                    + "   frameWork: window.__frameWork.splice(0).map(Math.round).sort(function (a, b) { return a - b; }),"
                    + "   longTasks: window.__longTasks.splice(0), replaced: window.HeadroomTable.stats.replaced,"
                    + "   patched: window.HeadroomTable.stats.patched,"
                    + "   fetched: performance.getEntriesByType('resource').map(function (e) { return e.name; })"
                    + "     .filter(function (n) { return n.indexOf('/api/v1/devices') >= 0 || n.indexOf('/stream') >= 0; }) };"
                    + "})(), true");
            browser.awaitTrue("window.__scroll !== null", LOAD_WAIT);
            JsonNode scroll = browser.evaluate("window.__scroll");
            System.out.println("DeviceTableScaleBrowserIT: the controller's JVM used "
                    + (jvmCpuNanos() - cpuBefore) / 1_000_000 + " ms of CPU while the page scrolled for "
                    + scroll.path("ms").asLong() + " ms");
            System.out.println("DeviceTableScaleBrowserIT: scrolled " + scroll + " (load average " + loadBefore + ")");
            System.out.println("DeviceTableScaleBrowserIT: trace " + browser.evaluate("window.__trace"));
            assertThat(scroll.path("height").asInt()).isEqualTo(DEVICES * ROW_HEIGHT);
            assertThat(scroll.path("stops").asInt()).isGreaterThan(DEVICES / 1000);
            assertThat(scroll.path("wrong"))
                    .as("stops where the top row was not the expected one")
                    .isEmpty();
            assertThat(scroll.path("most").asInt())
                    .as("row elements in the DOM at most")
                    .isLessThan(100);
            assertThat(scroll.path("last").asText()).isEqualTo(id(DEVICES - 1));
            assertThat(scroll.path("replaced").asInt())
                    .as("the rows were not reloaded while scrolling")
                    .isEqualTo(replacedBefore);
            assertThat(scroll.path("fetched")).as("no poll of /api/v1/devices").isEmpty();
            JsonNode work = scroll.path("frameWork");
            assertThat(work.get(work.size() * 95 / 100).asInt())
                    .as("the 95th percentile of the page's work per animation frame (ms), of %s", work)
                    .isLessThan(16);
            // A long task is wall-clock. Two cores shared by Chromium's processes and the controller's JVM deschedule
            // the page's main thread now and then: CI (load average under 2) and quiet runs here saw one to three
            // tasks of 53-75 ms in 120 stops while the page's own frame work was 0 ms and its heap flat. A page that
            // did real work per scroll would have one at nearly every stop, so rare ones pass; on an oversubscribed
            // machine (load average at or above the core count) every task stretches, so they are only printed.
            int cores = Runtime.getRuntime().availableProcessors();
            int stops = scroll.path("stops").asInt();
            if (loadBefore >= 0 && loadBefore < cores) {
                assertThat(scroll.path("longTasks").size())
                        .as("tasks over 50 ms in %d stops while scrolling: %s", stops, scroll.path("longTasks"))
                        .isLessThanOrEqualTo(stops / 20);
            } else {
                System.out.println("DeviceTableScaleBrowserIT: long tasks NOT asserted: load average " + loadBefore
                        + " on " + cores + " cores; seen " + scroll.path("longTasks"));
            }
        }
    }
}
