package io.headroom.controller.api;

import static io.headroom.controller.ingest.WireFixtures.birth;
import static io.headroom.controller.ingest.WireFixtures.data;
import static io.headroom.controller.ingest.WireFixtures.miner;
import static io.headroom.controller.ingest.WireFixtures.pdu;
import static io.headroom.controller.ingest.WireFixtures.status;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Message;
import io.headroom.controller.RecordingPublisher;
import io.headroom.controller.SteppableClock;
import io.headroom.controller.alert.ActiveAlert;
import io.headroom.controller.alert.AlertMonitor;
import io.headroom.controller.alert.AlertRule;
import io.headroom.controller.alert.AlertSettings;
import io.headroom.controller.command.CommandService;
import io.headroom.controller.engine.DecisionLog;
import io.headroom.controller.grid.GridEventBook;
import io.headroom.controller.grid.GridEventListener;
import io.headroom.controller.grid.GridEvents;
import io.headroom.controller.ingest.Ingest;
import io.headroom.controller.reservation.Reservations;
import io.headroom.controller.site.ClaimConflicts;
import io.headroom.controller.site.DeviceLookup;
import io.headroom.controller.site.SiteLoader;
import io.headroom.controller.site.SiteResource;
import io.headroom.controller.store.StateStore;
import io.headroom.protocol.TopicKind;
import io.headroom.protocol.Topics;
import io.headroom.protocol.WireCodec;
import io.headroom.protocol.wire.DeviceHealth;
import io.headroom.protocol.wire.Quality;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The site page's views on {@code GET /api/v1/stream} over real sockets (D54): the snapshot carries the site,
 * grid-event, decision and alert events with the JSON their routes answer; a grid event created through the
 * API, a PDU's new power reading and an alert raised each arrive as that one view's event; a site that stands
 * still (only the clock moves, and a device outside the site model reports) sends none.
 */
@Timeout(60)
class SiteStreamIT {

    private static final String SITE = "demo";
    private static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");
    private static final String SITE_YAML = """
            site: demo
            limit-kw: 20
            feeds:
              - id: feed-a
                pdus:
                  - id: pdu-1
                    breaker: {amps: 30, volts: 230, phases: 1}
                    meter: {agent: rack-1, device: p1}
                    racks:
                      - id: rack-1
                        devices:
                          - {id: m1, agent: rack-1, class: hashing}
            zones:
              - id: hall
                heat-rejection-kw: 10
                inlet-limit-c: 35
                racks: [rack-1]
            """;
    private static final String EVENT =
            "{\"target_kw\": 5, \"end\": \"2026-12-01T14:00:00Z\", \"reference\": \"4cp-7\"}";
    /** The events of the views, in the order they go out; the device events come before them. */
    private static final List<String> VIEWS =
            List.of("site", "grid-events", "decisions", "alerts", "market", "reservations");

    @TempDir
    Path dir;

    private final SteppableClock clock = new SteppableClock(T0);
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicReference<AlertMonitor.Alerts> alerts =
            new AtomicReference<>(new AlertMonitor.Alerts(T0, List.of(), 0, AlertSettings.DEFAULTS));
    private final HttpClient http = HttpClient.newHttpClient();
    private Ingest ingest;
    private ApiServer server;
    private long seq = 2;

    @BeforeEach
    void start() throws Exception {
        StateStore store = new StateStore();
        store.bindTo(registry);
        RecordingPublisher publisher = new RecordingPublisher();
        CommandService commands = new CommandService(SITE, store, publisher, clock, registry);
        ingest = new Ingest(SITE, store, publisher, commands, clock, registry);
        ingest.agentConnected("rack-1");
        send(
                TopicKind.BIRTH,
                birth("rack-1", 9, 1, 1)
                        .addDevices(miner("m1", 10))
                        .addDevices(pdu("p1", 30))
                        .addDevices(miner("m9", 50))
                        .build());
        power(3250, 4000);
        GridEventBook book = new GridEventBook(GridEventListener.NONE, registry);
        GridEvents grid = GridEvents.of(
                book, (request, now) -> Responses.MAPPER.createObjectNode().put("actions", 0));
        SiteResource site = new SiteResource(
                SiteLoader.parse("site.yaml", SITE_YAML), DeviceLookup.of(store), ClaimConflicts.of(store), clock);
        ApiContext context = new ApiContext(
                SITE,
                store,
                commands,
                registry,
                () -> true,
                ingest::connectedAgents,
                clock,
                T0,
                site,
                new DecisionLog(),
                grid,
                Optional.empty(),
                Optional.empty(),
                alerts::get,
                Reservations.unconfigured());
        server = ApiServer.start(
                ApiServerConfig.defaults(
                        "127.0.0.1", 0, ApiSecurity.plaintext(TestUsers.all(), dir.resolve("audit.jsonl"))),
                context,
                Duration.ofMillis(100),
                4,
                Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        server.close();
        registry.close();
    }

    private void send(TopicKind kind, Message message) {
        ingest.agentMessage(Topics.agent(SITE, "rack-1", kind), ByteBuffer.wrap(WireCodec.encode(message)));
    }

    /** New readings of m1 and the PDU p1 (its meter: the PDU's load), one second on. */
    private synchronized void power(double minerW, double pduW) {
        clock.advance(Duration.ofSeconds(1));
        send(
                TopicKind.DATA,
                data(9, seq++, clock.millis())
                        .addAlias(10)
                        .addValue(minerW)
                        .addAlias(30)
                        .addValue(pduW)
                        .addQuality(Quality.QUALITY_GOOD)
                        .addQuality(Quality.QUALITY_GOOD)
                        .addStatus(status("m1", DeviceHealth.DEVICE_HEALTH_ONLINE, ""))
                        .addStatus(status("p1", DeviceHealth.DEVICE_HEALTH_ONLINE, ""))
                        .build());
    }

    /**
     * A new reading of m9, a miner the site model does not hold, one second on: its {@code devices} event is a
     * mark in the stream, and the site's JSON does not change by it (only its {@code at} does).
     */
    private synchronized void mark(double watts) {
        clock.advance(Duration.ofSeconds(1));
        send(
                TopicKind.DATA,
                data(9, seq++, clock.millis())
                        .addAlias(50)
                        .addValue(watts)
                        .addQuality(Quality.QUALITY_GOOD)
                        .addStatus(status("m9", DeviceHealth.DEVICE_HEALTH_ONLINE, ""))
                        .build());
    }

    /** A stream as {@code user} with Basic credentials (null: none). */
    private StreamClient stream(String user) throws IOException {
        return StreamClient.as(server.localAddress().getPort(), user);
    }

    private static String statusLine(StreamClient client) throws IOException {
        return client.head().get(0);
    }

    /** Every event up to and with the first that {@code last} accepts. */
    private static List<Event> until(StreamClient client, Predicate<Event> last) throws IOException {
        List<Event> events = new ArrayList<>();
        Event event;
        do {
            String[] next = client.nextEvent();
            event = new Event(next[0], Responses.MAPPER.readTree(next[1]));
            events.add(event);
        } while (!last.test(event));
        return events;
    }

    private record Event(String name, JsonNode data) {
        boolean marks(double watts) {
            if (!name.equals("devices")) {
                return false;
            }
            for (JsonNode device : data.path("devices")) {
                if (device.path("id").asText().equals("m9")
                        && device.path("metrics").path("power").path("value").asDouble() == watts) {
                    return true;
                }
            }
            return false;
        }
    }

    private static List<String> views(List<Event> events) {
        return events.stream().map(Event::name).filter(VIEWS::contains).toList();
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(base(path))
                        .header("Authorization", TestUsers.basic(TestUsers.VIEWER))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return Responses.MAPPER.readTree(response.body());
    }

    private URI base(String path) {
        return URI.create("http://127.0.0.1:" + server.localAddress().getPort() + path);
    }

    private static JsonNode node(JsonNode tree, String id) {
        if (tree.path("id").asText().equals(id)) {
            return tree;
        }
        for (JsonNode child : tree.path("children")) {
            JsonNode found = node(child, id);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    @Test
    void withoutCredentials_401_andNoViewIsSent() throws Exception {
        try (StreamClient anonymous = stream(null)) {
            assertThat(statusLine(anonymous)).contains(" 401 ");
        }
    }

    @Test
    void aViewersSnapshot_carriesTheSiteGridEventsDecisionsAlertsAndReservations_asTheirRoutesAnswer()
            throws Exception {
        try (StreamClient viewer = stream(TestUsers.VIEWER)) {
            assertThat(statusLine(viewer)).contains(" 200 ");
            List<Event> first = until(viewer, e -> e.name().equals("reservations"));

            assertThat(first.stream().map(Event::name))
                    .containsExactly(
                            "snapshot", "site", "grid-events", "decisions", "alerts", "market", "reservations");
            // The clock stands still here, so even the site's "at" is the GET's.
            JsonNode site = first.get(1).data();
            assertThat(site).isEqualTo(get("/api/v1/site?devices=count"));
            assertThat(node(site, "pdu-1").path("load_kw").asDouble()).isEqualTo(4.0);
            assertThat(node(site, "rack-1").path("device_count").asInt()).isEqualTo(1);
            assertThat(node(site, "m1")).as("no device leaves").isNull();
            assertThat(first.get(2).data())
                    .isEqualTo(get("/api/v1/grid-events"))
                    .isEmpty();
            assertThat(first.get(3).data()).isEqualTo(get("/api/v1/decisions?limit=20"));
            assertThat(first.get(4).data()).isEqualTo(get("/api/v1/alerts"));
            assertThat(first.get(4).data().path("firing")).isEmpty();
            // Without a market, and without a site model's reservation book: the routes' 404 bodies, as the page's
            // poll would read them.
            assertThat(first.get(5).data()).isEqualTo(Responses.errorBody(MarketRoutes.NO_MARKET));
            assertThat(first.get(6).data()).isEqualTo(Responses.errorBody(ReservationRoutes.NO_BOOK));
        }
    }

    @Test
    void theSiteWithDevicesCounted_foldsEveryDeviceLeaf_andAnyOtherValueIs400() throws Exception {
        JsonNode listed = get("/api/v1/site");
        JsonNode counted = get("/api/v1/site?devices=count");

        assertThat(node(listed, "m1").path("kind").asText()).isEqualTo("device");
        assertThat(node(counted, "m1")).isNull();
        assertThat(node(counted, "rack-1").path("device_count").asInt()).isEqualTo(1);
        assertThat(node(counted, "rack-1").path("load_kw"))
                .isEqualTo(node(listed, "rack-1").path("load_kw"));
        assertThat(counted.path("zones").get(0).path("device_count").asInt()).isZero();
        assertThat(get("/api/v1/site?devices=list")).isEqualTo(listed);
        for (String query :
                new String[] {"devices=all", "devices=count&devices=count", "devices=", "devices=%3Cx%3E"}) {
            HttpResponse<String> refused = http.send(
                    HttpRequest.newBuilder(base("/api/v1/site?" + query))
                            .header("Authorization", TestUsers.basic(TestUsers.VIEWER))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).as(query).isEqualTo(400);
            assertThat(Responses.MAPPER.readTree(refused.body()).path("error").asText())
                    .as(query)
                    .startsWith("devices: must be given once, list or count; got '");
        }
    }

    @Test
    void aGridEventCreatedThroughTheApi_arrivesAsOneGridEventsEvent() throws Exception {
        try (StreamClient viewer = stream(TestUsers.VIEWER)) {
            assertThat(statusLine(viewer)).contains(" 200 ");
            until(viewer, e -> e.name().equals("reservations"));

            HttpResponse<String> created = http.send(
                    HttpRequest.newBuilder(base("/api/v1/grid-events"))
                            .header("Authorization", TestUsers.basic(TestUsers.OPERATOR))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(EVENT))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            String id = Responses.MAPPER.readTree(created.body()).path("id").asText();

            List<Event> events = until(viewer, e -> e.name().equals("grid-events"));
            assertThat(views(events)).containsExactly("grid-events");
            JsonNode list = events.get(events.size() - 1).data();
            assertThat(list).hasSize(1);
            assertThat(list.get(0).path("id").asText()).isEqualTo(id);
            assertThat(list.get(0).path("reference").asText()).isEqualTo("4cp-7");
            assertThat(list).isEqualTo(get("/api/v1/grid-events"));
        }
    }

    @Test
    void aPdusNewReading_movesTheSitesLoad_inOneSiteEvent_andAStillSiteSendsNoMore() throws Exception {
        try (StreamClient viewer = stream(TestUsers.VIEWER)) {
            assertThat(statusLine(viewer)).contains(" 200 ");
            until(viewer, e -> e.name().equals("reservations"));

            power(3250, 4500);
            List<Event> events = until(viewer, e -> e.name().equals("site"));
            assertThat(views(events)).containsExactly("site");
            JsonNode site = events.get(events.size() - 1).data();
            assertThat(node(site, "pdu-1").path("load_kw").asDouble()).isEqualTo(4.5);
            assertThat(site.path("at").asText()).isEqualTo(clock.instant().toString());

            // Two marks: whatever the tick of the first carried after it is read before the second.
            mark(1000);
            List<Event> quiet = until(viewer, e -> e.marks(1000));
            mark(1100);
            quiet.addAll(until(viewer, e -> e.marks(1100)));
            assertThat(views(quiet))
                    .as("the clock moved and m9 (outside the site model) reported; the site did not change")
                    .isEmpty();
        }
    }

    @Test
    void anAlertRaised_arrivesAsOneAlertsEvent() throws Exception {
        try (StreamClient viewer = stream(TestUsers.VIEWER)) {
            assertThat(statusLine(viewer)).contains(" 200 ");
            until(viewer, e -> e.name().equals("reservations"));

            Instant now = clock.instant();
            alerts.set(new AlertMonitor.Alerts(
                    now,
                    List.of(new ActiveAlert(AlertRule.values()[0], "rack-1", "agent rack-1 is gone", T0, now)),
                    0,
                    AlertSettings.DEFAULTS));
            List<Event> events = until(viewer, e -> e.name().equals("alerts"));

            assertThat(views(events)).containsExactly("alerts");
            JsonNode firing = events.get(events.size() - 1).data().path("firing");
            assertThat(firing).hasSize(1);
            assertThat(firing.get(0).path("alert").asText()).isEqualTo(AlertRule.values()[0].alertName());
            assertThat(firing.get(0).path("summary").asText()).isEqualTo("agent rack-1 is gone");
        }
    }
}
