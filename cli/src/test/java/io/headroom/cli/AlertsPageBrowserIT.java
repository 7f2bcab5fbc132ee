package io.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web page's Active alerts section in Debian's Chromium: on a calm demo site it says, from the
 * real {@code GET /api/v1/alerts}, that nothing fires; given firing alerts it lists them with their
 * severity in words, critical first as the API orders them, and a hostile summary stays text.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class AlertsPageBrowserIT {
    private static final Duration PAGE_WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path workDir;

    private static HeadlessChromium chromium;
    private static DemoSite demo;

    @BeforeAll
    static void startSite() throws Exception {
        chromium = HeadlessChromium.require(workDir);
        demo = DemoSite.start(
                new DemoOptions("alerts-page", 2, 1, "127.0.0.1", 0, 0, 5L, Duration.ofSeconds(1), workDir));
    }

    @AfterAll
    static void stopSite() {
        if (demo != null) {
            demo.close();
        }
    }

    @Test
    void aCalmSite_saysNothingFires_andFiringAlertsAreListedWithTheirSeverityInWords() throws Exception {
        try (BrowserPage browser =
                chromium.open(Addresses.http(demo.controller().httpAddress()))) {
            browser.awaitTrue("!document.getElementById('login').hidden", PAGE_WAIT);
            // A browser without EventSource: the page polls /api/v1/alerts, the fallback this test drives (the
            // stream's alerts events would otherwise replace the answers it fakes; SiteViewBrowserIT streams).
            browser.evaluate("window.EventSource = undefined; true");
            browser.type("login-name", DemoSite.VIEWER);
            browser.type("login-password", demo.apiPassword(DemoSite.VIEWER));
            browser.click("login-submit");
            browser.awaitTrue(
                    "document.getElementById('alerts-status').textContent.startsWith('No alerts firing')", PAGE_WAIT);
            assertThat(browser.evaluate("document.getElementById('alerts').hidden")
                            .asBoolean())
                    .isTrue();
            assertThat(browser.evaluate("document.getElementById('alerts-status').getAttribute('role')")
                            .asText())
                    .isEqualTo("status");

            // The API's answer as it is when alerts fire; the page renders what it is given.
            String body = "{\"evaluatedAt\":\"2026-12-01T12:20:00Z\",\"intervalSeconds\":15,\"pending\":1,"
                    + "\"firing\":["
                    + "{\"alert\":\"HeadroomAgentStale\",\"severity\":\"critical\",\"subject\":\"a1\","
                    + "\"summary\":\"agent a1: 3 of its 3 devices STALE\",\"since\":\"2026-12-01T12:00:00Z\","
                    + "\"firingSince\":\"2026-12-01T12:02:00Z\"},"
                    + "{\"alert\":\"HeadroomDeviceHot\",\"severity\":\"warning\",\"subject\":\"m1\","
                    + "\"summary\":\"<img src=x onerror=window.pwned=1> 95 °C\",\"since\":\"2026-12-01T12:10:00Z\","
                    + "\"firingSince\":\"2026-12-01T12:15:00Z\"}],\"rules\":[]}";
            browser.evaluate(
                    "window.fetch = function () { return Promise.resolve(new Response('" + body.replace("'", "\\'")
                            + "', {status: 200, headers: {'Content-Type': 'application/json'}})); };"
                            + " window.HeadroomAlerts.refresh().then(function () { return true; })");
            browser.awaitTrue("!document.getElementById('alerts').hidden", PAGE_WAIT);

            assertThat(browser.evaluate("document.getElementById('alerts-status').textContent")
                            .asText())
                    .isEqualTo("2 alerts firing (1 critical), 1 pending.");
            assertThat(browser.evaluate("Array.from(document.querySelectorAll('#alerts tbody tr')).map(function (r) {"
                                    + " return Array.from(r.cells).map(function (c) { return c.textContent; })"
                                    + ".join('|'); }).join('\\n')")
                            .asText())
                    .isEqualTo("critical|HeadroomAgentStale|a1|agent a1: 3 of its 3 devices STALE|20 min\n"
                            + "warning|HeadroomDeviceHot|m1|<img src=x onerror=window.pwned=1> 95 °C|10 min");
            assertThat(browser.evaluate("document.querySelectorAll('#alerts img').length")
                            .asInt())
                    .isZero();
            assertThat(browser.evaluate("window.pwned === undefined").asBoolean())
                    .isTrue();
            assertThat(browser.evaluate("document.querySelector('#alerts .severity-critical').textContent")
                            .asText())
                    .isEqualTo("critical");
            browser.saveView("alerts.png", "alerts-section");

            // An API that fails is said in words; the last list stays.
            browser.evaluate(
                    "window.fetch = function () { return Promise.resolve(new Response('{}', {status: 503})); };"
                            + " window.HeadroomAlerts.refresh().then(function () { return true; })");
            browser.awaitTrue(
                    "document.getElementById('alerts-status').textContent.startsWith('Cannot read the alerts (HTTP 503)')",
                    PAGE_WAIT);
        }
    }
}
