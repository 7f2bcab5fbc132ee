package io.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headroom.controller.api.ApiContext;
import io.headroom.controller.api.ApiSecurity;
import io.headroom.controller.api.ApiServer;
import io.headroom.controller.api.ApiServerConfig;
import io.headroom.controller.api.auth.ApiRole;
import io.headroom.controller.api.auth.ApiUser;
import io.headroom.controller.command.CommandService;
import io.headroom.controller.engine.DecisionLog;
import io.headroom.controller.grid.GridEvents;
import io.headroom.controller.ingest.Ingest;
import io.headroom.controller.mqtt.PasswordHash;
import io.headroom.controller.site.SiteResource;
import io.headroom.controller.store.StateStore;
import io.headroom.protocol.MetricDictionary;
import io.headroom.protocol.Topic;
import io.headroom.protocol.TopicKind;
import io.headroom.protocol.Topics;
import io.headroom.protocol.WireCodec;
import io.headroom.protocol.wire.Ack;
import io.headroom.protocol.wire.Birth;
import io.headroom.protocol.wire.Capability;
import io.headroom.protocol.wire.DeviceDescriptor;
import io.headroom.protocol.wire.DeviceKind;
import io.headroom.protocol.wire.MetricDefinition;
import io.headroom.protocol.wire.MetricType;
import io.headroom.protocol.wire.Verb;
import io.headroom.testkit.ManualClock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The device page's Release button (issue 8, D50, D52) in Debian's Chromium, over an in-JVM controller API and
 * ingest (no broker, no demo site): the agents' Births go into the real ingest as the MQTT endpoint would hand
 * them over, so two of them claim one id. An admin sees the button, reaches it and its dialog by keyboard;
 * Escape and Cancel send nothing; the confirmation sends one request however often it is pressed; while the
 * owner is connected the controller's 409 is said in words; once it is gone the release is said in the
 * controller's words and, when the claimant answers the rebirth it was asked for, the page shows it as the owner.
 * A server error, a refusal and an unreachable controller are said in words; operators and viewers get the fact
 * and no button. Saves {@code target/screenshots/device-release.png} (the dialog).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DeviceReleaseBrowserIT {
    private static final String SITE = "release";
    private static final Duration PAGE_WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN = "adam";
    private static final String OPERATOR = "olga";
    private static final String VIEWER = "vera";

    @TempDir
    static Path workDir;

    private static HeadlessChromium chromium;
    private static ManualClock clock;
    private static PrometheusMeterRegistry registry;
    private static StateStore store;
    private static Ingest ingest;
    private static ApiServer server;
    private static String page;
    /** Every Ack the controller published, with its topic: the claimants' rebirth requests among them. */
    private static final List<Published> acks = new CopyOnWriteArrayList<>();

    private record Published(Topic topic, Ack ack) {}

    @BeforeAll
    static void start() throws Exception {
        chromium = HeadlessChromium.require(workDir);
        clock = new ManualClock(Instant.parse("2026-12-01T10:00:00Z"), 0);
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        store = new StateStore();
        io.headroom.controller.transport.ControllerPublisher publisher = (topic, payload, retain, expiry) -> {
            if (topic instanceof Topic.AgentTopic t && t.kind() == TopicKind.ACK) {
                try {
                    acks.add(new Published(topic, WireCodec.decode(payload, Ack.class)));
                } catch (io.headroom.protocol.MalformedPayloadException e) {
                    throw new AssertionError("the controller published an Ack that does not decode", e);
                }
            }
            return 1;
        };
        CommandService commands = new CommandService(SITE, store, publisher, clock, registry);
        ingest = new Ingest(SITE, store, publisher, commands, clock, registry);
        // m1: rack-1 owns it, rack-2 claims it (the admin test releases it); m2: rack-3 and rack-4 (never released).
        birth("rack-1", 11, 1, 1, "m1");
        birth("rack-2", 12, 1, 1, "m1");
        birth("rack-3", 13, 1, 1, "m2");
        birth("rack-4", 14, 1, 1, "m2");
        ApiContext context = new ApiContext(
                SITE,
                store,
                commands,
                registry,
                () -> true,
                ingest::connectedAgents,
                clock,
                clock.instant(),
                SiteResource.unconfigured(clock),
                new DecisionLog(),
                GridEvents.unconfigured());
        List<ApiUser> users = List.of(
                new ApiUser(
                        ADMIN,
                        ApiRole.ADMIN,
                        PasswordHash.create(password(ADMIN).toCharArray())),
                new ApiUser(
                        OPERATOR,
                        ApiRole.OPERATOR,
                        PasswordHash.create(password(OPERATOR).toCharArray())),
                new ApiUser(
                        VIEWER,
                        ApiRole.VIEWER,
                        PasswordHash.create(password(VIEWER).toCharArray())));
        server = ApiServer.start(
                ApiServerConfig.defaults("127.0.0.1", 0, ApiSecurity.plaintext(users, audit())), context);
        page = "http://127.0.0.1:" + server.localAddress().getPort() + "/";
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

    private static String password(String user) {
        return user + "-password";
    }

    private static Path audit() {
        return workDir.resolve("audit.jsonl");
    }

    /** {@code agent} connects and sends a Birth listing {@code devices}, as the MQTT endpoint hands it to ingest. */
    private static void birth(String agent, long boot, long seq, long session, String... devices) {
        if (seq == 1) {
            ingest.agentConnected(agent);
        }
        Birth.Builder birth = Birth.newBuilder()
                .setAgentId(agent)
                .setBootId(boot)
                .setSeq(seq)
                .setPendingFromSeq(seq)
                .setSession(session)
                .setTimestampMs(clock.millis())
                .setAgentVersion("test");
        for (String id : devices) {
            birth.addDevices(miner(id));
        }
        ingest.agentMessage(
                Topics.agent(SITE, agent, TopicKind.BIRTH), ByteBuffer.wrap(WireCodec.encode(birth.build())));
    }

    private static DeviceDescriptor miner(String id) {
        return DeviceDescriptor.newBuilder()
                .setId(id)
                .setKind(DeviceKind.DEVICE_KIND_MINER)
                .setModel("Antminer S19 XP")
                .setProfile("bitmain/stock")
                .setFirmware("2023.05")
                .setNameplatePowerW(3010)
                .addMetrics(MetricDefinition.newBuilder()
                        .setAlias(10)
                        .setName(MetricDictionary.POWER)
                        .setUnit(
                                MetricDictionary.require(MetricDictionary.POWER).unit())
                        .setType(MetricType.METRIC_TYPE_GAUGE))
                .addCapabilities(Capability.newBuilder().setVerb(Verb.VERB_SLEEP))
                .addCapabilities(Capability.newBuilder().setVerb(Verb.VERB_WAKE))
                .build();
    }

    private static BrowserPage signedIn(String user) throws Exception {
        BrowserPage browser = chromium.open(page);
        try {
            browser.awaitTrue("!document.getElementById('login').hidden", PAGE_WAIT);
            browser.type("login-name", user);
            browser.type("login-password", password(user));
            browser.click("login-submit");
            browser.awaitTrue(
                    "!document.getElementById('account').hidden"
                            + " && document.getElementById('account-name').textContent === '" + user + "'",
                    PAGE_WAIT);
            return browser;
        } catch (Exception | AssertionError e) {
            browser.close();
            throw e;
        }
    }

    /** Opens the device's page and waits for its "Claimed by" fact. */
    private static void openDevice(BrowserPage browser, String id) throws Exception {
        browser.evaluate("window.location.hash = '#/device/" + id + "', true");
        browser.awaitTrue("document.getElementById('device-claimed') !== null", PAGE_WAIT);
    }

    private static String text(BrowserPage browser, String id) throws Exception {
        return browser.evaluate("document.getElementById('" + id + "').textContent")
                .asText();
    }

    /** The device page's fact under {@code term}, or null when it has none. */
    private static String fact(BrowserPage browser, String term) throws Exception {
        JsonNode value = browser.evaluate("(function () { var dt = Array.from(document.querySelectorAll("
                + "'#device-facts dt')).filter(function (t) { return t.textContent === '" + term + "'; })[0];"
                + " return dt ? dt.nextElementSibling.textContent : null; })()");
        return value.isNull() ? null : value.asText();
    }

    /** The audit log's release entries: "user action status outcome", oldest first. */
    private static List<String> releaseEntries(String device) throws Exception {
        List<String> entries = new ArrayList<>();
        if (!Files.exists(audit())) {
            return entries;
        }
        for (String line : Files.readAllLines(audit())) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode entry = JSON.readTree(line);
            if (entry.path("action").asText().startsWith("ownership-release")
                    && entry.path("target").asText().equals(device)) {
                entries.add(
                        entry.path("user").asText() + " " + entry.path("action").asText() + " "
                                + entry.path("status").asInt() + " "
                                + entry.path("outcome").asText());
            }
        }
        return entries;
    }

    @Test
    void anAdminReleases_refusedInWordsWhileTheOwnerIsConnected_thenTheClaimantOwnsIt() throws Exception {
        try (BrowserPage browser = signedIn(ADMIN)) {
            // Counts the page's release requests; one can be held in flight until the test lets it go.
            browser.evaluate(
                    "window.releasePosts = 0; window.holdRelease = null; (function () { var real = window.fetch;"
                            + " window.fetch = function (url, init) { if (String(url).indexOf('/release') < 0) {"
                            + " return real(url, init); } window.releasePosts++; var go = function () { return real(url, init); };"
                            + " return window.holdRelease ? window.holdRelease.then(go) : go(); }; })(), true");
            openDevice(browser, "m1");
            assertThat(fact(browser, "Agent")).isEqualTo("rack-1");
            assertThat(fact(browser, "Claimed by"))
                    .startsWith("rack-1, rack-2 — rack-1 owns it; commands to it are"
                            + " refused while another agent claims it.");
            assertThat(text(browser, "device-release")).isEqualTo("Release to rack-2…");

            // By keyboard: Enter on the button opens the dialog with the focus on Cancel; Escape closes it.
            browser.evaluate("document.getElementById('device-release').focus(), true");
            browser.press("Enter");
            browser.awaitTrue("document.getElementById('release-dialog').open", PAGE_WAIT);
            assertThat(browser.evaluate("document.activeElement.id").asText()).isEqualTo("release-cancel");
            assertThat(text(browser, "release-title")).isEqualTo("Release device m1 from rack-1?");
            assertThat(text(browser, "release-text"))
                    .isEqualTo("rack-1 loses m1 and rack-2 is asked for a fresh Birth; the first to send one owns"
                            + " it. Commands to m1 stay refused until a claimant’s Birth takes it. The controller"
                            + " refuses while rack-1 is still connected.");
            browser.resize(1200, 800);
            Path shot = Path.of("target", "screenshots", "device-release.png");
            browser.screenshot(shot, "release-dialog");
            assertThat(Files.size(shot)).isPositive();
            browser.press("Escape");
            browser.awaitTrue("!document.getElementById('release-dialog').open", PAGE_WAIT);
            browser.awaitTrue("document.activeElement.id === 'device-release'", PAGE_WAIT);
            // Cancel, the button: closed too.
            browser.click("device-release");
            browser.awaitTrue("document.getElementById('release-dialog').open", PAGE_WAIT);
            browser.click("release-cancel");
            browser.awaitTrue("!document.getElementById('release-dialog').open", PAGE_WAIT);
            assertThat(browser.evaluate("window.releasePosts").asInt()).isZero();
            assertThat(releaseEntries("m1")).isEmpty();

            // Confirmed while rack-1 is connected, the request held in flight: everything that could send it again
            // is disabled, and pressing it does nothing.
            browser.evaluate("window.holdRelease = new Promise(function (r) { window.letRelease = r; }), true");
            browser.click("device-release");
            browser.awaitTrue("document.getElementById('release-dialog').open", PAGE_WAIT);
            browser.click("release-confirm");
            browser.awaitTrue("window.releasePosts === 1", PAGE_WAIT);
            assertThat(browser.evaluate("document.getElementById('release-confirm').disabled")
                            .asBoolean())
                    .isTrue();
            assertThat(browser.evaluate("document.getElementById('device-release').disabled")
                            .asBoolean())
                    .isTrue();
            assertThat(text(browser, "release-busy")).isEqualTo("Releasing m1…");
            browser.click("release-confirm");
            browser.click("device-release");
            browser.evaluate("window.letRelease(), true");
            browser.awaitTrue("!document.getElementById('device-release-result').hidden", PAGE_WAIT);
            assertThat(text(browser, "device-release-result"))
                    .isEqualTo("Not released: device m1's owner rack-1 is connected and keeps it; stop the agent that"
                            + " should not report it, or release it once its owner is gone.");
            assertThat(browser.evaluate("document.getElementById('device-release-result').className")
                            .asText())
                    .isEqualTo("form-error");
            assertThat(browser.evaluate("window.releasePosts").asInt()).isEqualTo(1);
            assertThat(browser.evaluate("document.getElementById('release-dialog').open")
                            .asBoolean())
                    .isFalse();
            browser.awaitTrue("!document.getElementById('device-release').disabled", PAGE_WAIT);
            assertThat(store.device("m1").orElseThrow().agent()).isEqualTo("rack-1");
            assertThat(fact(browser, "Agent")).isEqualTo("rack-1");

            // rack-1 is gone: released in the controller's words; the id waits for rack-2's fresh Birth.
            ingest.agentDisconnected("rack-1", false);
            clock.advance(Duration.ofSeconds(3)); // past the rebirth debounce of rack-2's first Birth
            int acksBefore = acks.size();
            browser.evaluate("window.holdRelease = null, true");
            browser.click("device-release");
            browser.awaitTrue("document.getElementById('release-dialog').open", PAGE_WAIT);
            browser.click("release-confirm");
            browser.awaitTrue(
                    "document.getElementById('device-release-result').textContent.indexOf('device m1 no longer') === 0",
                    PAGE_WAIT);
            assertThat(text(browser, "device-release-result"))
                    .isEqualTo("device m1 no longer belongs to rack-1; rack-2 was asked for a fresh Birth, and the"
                            + " first to send one owns it");
            browser.awaitTrue("!document.getElementById('device-error').hidden", PAGE_WAIT);
            assertThat(text(browser, "device-error"))
                    .isEqualTo("Device m1 was released from rack-1; it is back when rack-2 sends the fresh Birth it"
                            + " was asked for.");
            browser.awaitTrue("document.activeElement.id === 'device-heading'", PAGE_WAIT);
            // The controller asked rack-2, which answers as an agent does: a fresh Birth listing m1.
            List<Ack> asked = new ArrayList<>();
            for (Published p : acks.subList(acksBefore, acks.size())) {
                if (p.topic().equals(Topics.agent(SITE, "rack-2", TopicKind.ACK))) {
                    asked.add(p.ack());
                }
            }
            assertThat(asked).hasSize(1);
            assertThat(asked.get(0).getRebirth()).isTrue();
            assertThat(asked.get(0).getRebirthReason()).isEqualTo("device-released");
            birth("rack-2", 12, 2, 2, "m1");

            // The page looks again by itself: rack-2 owns m1, no conflict, no button.
            browser.awaitTrue(
                    "document.getElementById('device-error').hidden"
                            + " && !document.getElementById('device-body').hidden",
                    PAGE_WAIT);
            assertThat(fact(browser, "Agent")).isEqualTo("rack-2");
            assertThat(fact(browser, "Claimed by")).isNull();
            assertThat(browser.evaluate("document.getElementById('device-release') === null")
                            .asBoolean())
                    .isTrue();
            assertThat(releaseEntries("m1"))
                    .containsExactly(
                            "adam ownership-release-intent 0 about to release",
                            "adam ownership-release 409 owner rack-1 connected",
                            "adam ownership-release-intent 0 about to release",
                            "adam ownership-release 200 released from rack-1 to rack-2");
        }
    }

    @Test
    void aServerError_aRefusal_andALostController_areSaidInWords() throws Exception {
        try (BrowserPage browser = signedIn(ADMIN)) {
            openDevice(browser, "m2");
            // The release answers as a failing server, a refusing one, then not at all; nothing reaches the controller.
            browser.evaluate("window.releaseAnswers = ["
                    + " function () { return Promise.resolve(new Response("
                    + "'{\"error\":\"the audit log cannot be written, so nothing was released: disk full\"}',"
                    + " { status: 503 })); },"
                    + " function () { return Promise.resolve(new Response('{\"error\":\"this needs the admin role\"}',"
                    + " { status: 403 })); },"
                    + " function () { return Promise.reject(new TypeError('Failed to fetch')); }];"
                    + " (function () { var real = window.fetch; window.fetch = function (url, init) {"
                    + " if (String(url).indexOf('/release') < 0) { return real(url, init); }"
                    + " return window.releaseAnswers.shift()(); }; })(), true");
            List<String> said = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                browser.evaluate("document.getElementById('device-release-result').textContent = '', true");
                browser.awaitTrue("!document.getElementById('device-release').disabled", PAGE_WAIT);
                browser.click("device-release");
                browser.awaitTrue("document.getElementById('release-dialog').open", PAGE_WAIT);
                browser.click("release-confirm");
                browser.awaitTrue(
                        "document.getElementById('device-release-result').textContent !== ''"
                                + " && !document.getElementById('release-dialog').open",
                        PAGE_WAIT);
                said.add(text(browser, "device-release-result"));
            }
            assertThat(said)
                    .containsExactly(
                            "Not released (HTTP 503): the audit log cannot be written, so nothing was released: disk"
                                    + " full.",
                            "Not released: only an admin may release a device (this needs the admin role).",
                            "Cannot reach the controller (Failed to fetch): the release of m2 may not have been made;"
                                    + " the page shows the device as the controller last said.");
            // The page is still there, the device as it was.
            assertThat(browser.evaluate("document.getElementById('device-body').hidden")
                            .asBoolean())
                    .isFalse();
            assertThat(fact(browser, "Agent")).isEqualTo("rack-3");
            assertThat(releaseEntries("m2")).isEmpty();
        }
    }

    @Test
    void operatorsAndViewers_seeWhoClaimsIt_andWhoMayReleaseIt_butNoButton() throws Exception {
        for (String user : List.of(OPERATOR, VIEWER)) {
            try (BrowserPage browser = signedIn(user)) {
                openDevice(browser, "m2");
                assertThat(fact(browser, "Claimed by"))
                        .as(user)
                        .isEqualTo("rack-3, rack-4 — rack-3 owns it; commands to it are refused while another"
                                + " agent claims it. An admin can release it to rack-4 once rack-3 is gone.");
                assertThat(browser.evaluate("document.getElementById('device-release') === null")
                                .asBoolean())
                        .as(user)
                        .isTrue();
            }
        }
    }
}
