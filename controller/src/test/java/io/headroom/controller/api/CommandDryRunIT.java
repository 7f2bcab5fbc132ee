package io.headroom.controller.api;

import static io.headroom.controller.ingest.WireFixtures.birth;
import static io.headroom.controller.ingest.WireFixtures.data;
import static io.headroom.controller.ingest.WireFixtures.metric;
import static io.headroom.controller.ingest.WireFixtures.miner;
import static io.headroom.controller.ingest.WireFixtures.pdu;
import static io.headroom.controller.ingest.WireFixtures.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Message;
import io.headroom.controller.RecordingPublisher;
import io.headroom.controller.SteppableClock;
import io.headroom.controller.command.CommandService;
import io.headroom.controller.engine.ControlEngine;
import io.headroom.controller.engine.DecisionLog;
import io.headroom.controller.engine.EngineJournal;
import io.headroom.controller.engine.EngineLoop;
import io.headroom.controller.engine.EngineSettings;
import io.headroom.controller.engine.EngineState;
import io.headroom.controller.engine.LimitDryRun;
import io.headroom.controller.engine.SiteTarget;
import io.headroom.controller.engine.TargetSource;
import io.headroom.controller.engine.TickResult;
import io.headroom.controller.grid.GridEvents;
import io.headroom.controller.history.History;
import io.headroom.controller.ingest.Ingest;
import io.headroom.controller.reservation.Reservations;
import io.headroom.controller.site.DeviceLookup;
import io.headroom.controller.site.SiteLoader;
import io.headroom.controller.site.SiteModel;
import io.headroom.controller.site.SiteResource;
import io.headroom.controller.site.SiteSnapshot;
import io.headroom.controller.store.StateStore;
import io.headroom.protocol.MetricDictionary;
import io.headroom.protocol.Mode;
import io.headroom.protocol.Topic;
import io.headroom.protocol.TopicKind;
import io.headroom.protocol.Topics;
import io.headroom.protocol.WireCodec;
import io.headroom.protocol.wire.Command;
import io.headroom.protocol.wire.Data;
import io.headroom.protocol.wire.DeviceDescriptor;
import io.headroom.protocol.wire.DeviceHealth;
import io.headroom.protocol.wire.Quality;
import io.headroom.protocol.wire.Result;
import io.headroom.protocol.wire.ResultStatus;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /api/v1/commands/dry-run} over the real API server, fed by ingest from the wire, planned by
 * the real engine loop: roles, every problem of a bad body named, a sleep lowering the rack and the feed
 * by the miners' power, a wake pushing a rack over its limit with the engine's reaction, a grid event in
 * force, and never a command sent.
 */
@Timeout(30)
class CommandDryRunIT {

    private static final String SITE = "demo";
    private static final String AGENT = "rack-1";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** rack-1 allows 8 kW (shed line 7.76 kW at the default 3 % margin); the PDU's breaker 63 A × 230 V × 80 %. */
    private static final String SITE_YAML = """
            site: demo
            limit-kw: 100
            feeds:
              - id: feed-a
                pdus:
                  - id: pdu-1
                    breaker: {amps: 63, volts: 230, phases: 1}
                    racks:
                      - id: rack-1
                        limit-kw: 8
                        devices:
                          - {id: m1, agent: rack-1, class: hashing}
                          - {id: m2, agent: rack-1, class: hashing}
                          - {id: m3, agent: rack-1, class: hashing}
            """;

    @TempDir
    Path dir;

    private final SteppableClock clock = new SteppableClock(Instant.parse("2026-12-01T12:00:00Z"));
    private final RecordingPublisher publisher = new RecordingPublisher();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicReference<SiteTarget> event = new AtomicReference<>();
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private CommandService commands;
    private Ingest ingest;
    private EngineLoop loop;
    private ApiServer server;
    private long seq = 2;

    @BeforeEach
    void start() throws Exception {
        StateStore store = new StateStore();
        commands = new CommandService(SITE, store, publisher, clock, registry);
        ingest = new Ingest(SITE, store, publisher, commands, clock, registry);
        ingest.agentConnected(AGENT);
        send(
                TopicKind.BIRTH,
                birth(AGENT, 9, 1, 1)
                        .addDevices(withMode(miner("m1", 10), 14))
                        .addDevices(withMode(miner("m2", 20), 24))
                        .addDevices(withMode(miner("m3", 30), 34))
                        .addDevices(pdu("p1", 40))
                        .build());
        // m1 20 J/TH, m2 30 J/TH (the least efficient), m3 asleep at 150 W: rack-1 draws 6.15 kW.
        reading("m1", 3000, 150, Mode.NORMAL);
        reading("m2", 3000, 100, Mode.NORMAL);
        reading("m3", 150, 0, Mode.SLEEP);
        SiteModel model = SiteLoader.parse("site.yaml", SITE_YAML);
        TargetSource targets = new TargetSource() {
            @Override
            public SiteTarget target(Instant now) {
                return event.get();
            }

            @Override
            public void observe(Instant now, SiteSnapshot power, EngineState state, TickResult result) {}
        };
        loop = new EngineLoop(
                new EngineState(model),
                new ControlEngine(EngineSettings.defaults()),
                DeviceLookup.of(store),
                commands,
                new DecisionLog(),
                targets,
                EngineJournal.NONE,
                clock,
                registry);
        ApiContext context = new ApiContext(
                SITE,
                store,
                commands,
                registry,
                () -> true,
                ingest::connectedAgents,
                clock,
                clock.instant(),
                new SiteResource(model, DeviceLookup.of(store), List::of, clock),
                new DecisionLog(),
                GridEvents.unconfigured(),
                Optional.of(new LimitDryRun(loop, clock)),
                Optional.empty(),
                () -> ApiContext.NO_ALERTS,
                Reservations.unconfigured(),
                new History(registry));
        server = ApiServer.start(
                ApiServerConfig.defaults(
                        "127.0.0.1", 0, ApiSecurity.plaintext(TestUsers.all(), dir.resolve("audit.jsonl"))),
                context);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        registry.close();
    }

    @Test
    void aViewerIsRefused_andBadBodiesAreAnsweredWithEveryProblemNamed() throws Exception {
        HttpResponse<String> viewer = post(TestUsers.VIEWER, "{\"verb\":\"sleep\",\"devices\":[\"m1\"]}");
        assertThat(viewer.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(viewer.body()).path("error").asText()).contains("needs operator");

        HttpResponse<String> garbage = post(TestUsers.OPERATOR, "{\"verb\": sle");
        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(garbage.body()).path("error").asText()).startsWith("the body is not JSON");

        HttpResponse<String> notAnObject = post(TestUsers.OPERATOR, "[\"m1\"]");
        assertThat(notAnObject.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(notAnObject.body()).path("error").asText()).startsWith("body: must be a JSON object");

        JsonNode several = JSON.readTree(post(
                        TestUsers.OPERATOR,
                        "{\"verb\":\"reboot\",\"devices\":[\"m1\",\"m1\",7],\"ttlSeconds\":30,\"value\":5}")
                .body());
        assertThat(several.path("problems")).hasSize(4);
        assertThat(several.path("error").asText())
                .contains("unknown field 'ttlSeconds'")
                .contains(
                        "verb: required, one of sleep, wake, set-power-target, locate-on, locate-off, outlet-on, outlet-off,"
                                + " outlet-cycle; got \"reboot\"")
                .contains("devices: 1 entries are not device ids")
                .contains("devices: 1 ids are given twice, the first 'm1'");

        JsonNode noValue =
                JSON.readTree(post(TestUsers.OPERATOR, "{\"verb\":\"set-power-target\",\"devices\":[\"m1\"]}")
                        .body());
        assertThat(noValue.path("error").asText())
                .isEqualTo("value: required for set-power-target, the power target in W (a finite number)");
        JsonNode valueOnSleep =
                JSON.readTree(post(TestUsers.OPERATOR, "{\"verb\":\"sleep\",\"devices\":[\"m1\"],\"value\":1}")
                        .body());
        assertThat(valueOnSleep.path("error").asText()).isEqualTo("value: sleep takes no value");

        List<String> many = new ArrayList<>();
        for (int i = 0; i <= 5_000; i++) {
            many.add("d" + i);
        }
        HttpResponse<String> oversize =
                post(TestUsers.OPERATOR, "{\"verb\":\"sleep\",\"devices\":" + JSON.writeValueAsString(many) + "}");
        assertThat(oversize.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(oversize.body()).path("error").asText())
                .isEqualTo("devices: at most 5000 ids (the device table's page), got 5001");
        // The device table's whole page of the longest ids (5,000 × 256 characters, ~1.3 MB) is read: the
        // route's body limit is past the API's default 64 KiB. Unknown ids are skipped, each named.
        List<String> longest = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            longest.add(String.format("%0256d", i));
        }
        HttpResponse<String> page =
                post(TestUsers.OPERATOR, "{\"verb\":\"sleep\",\"devices\":" + JSON.writeValueAsString(longest) + "}");
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        assertThat(JSON.readTree(page.body()).path("totals").path("skipped").asInt())
                .isEqualTo(5_000);
        // An id past 256 characters is a problem named in words, not a body too large.
        HttpResponse<String> longId =
                post(TestUsers.OPERATOR, "{\"verb\":\"sleep\",\"devices\":[\"" + "x".repeat(70_000) + "\"]}");
        assertThat(longId.statusCode()).isEqualTo(400);
        // Past the route's 2 MiB the server refuses it before it is read, saying the limit.
        HttpResponse<String> huge =
                post(TestUsers.OPERATOR, "{\"verb\":\"sleep\",\"devices\":[\"" + "x".repeat(2 * 1024 * 1024) + "\"]}");
        assertThat(huge.statusCode()).isEqualTo(413);
        assertThat(JSON.readTree(huge.body()).path("error").asText())
                .startsWith("body: at most 2097152 bytes for /api/v1/commands/dry-run; got a Content-Length of ");
        assertNothingSent(0);
    }

    @Test
    void aSleepOnASelection_lowersTheRackAndTheFeedByTheMinersPower_andNamesTheSkipped() throws Exception {
        HttpResponse<String> response =
                post(TestUsers.OPERATOR, "{\"verb\":\"sleep\",\"devices\":[\"m1\",\"m2\",\"p1\",\"nope\"]}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode plan = JSON.readTree(response.body());

        assertThat(plan.path("totals").path("selected").asInt()).isEqualTo(4);
        assertThat(plan.path("totals").path("send").asInt()).isEqualTo(2);
        assertThat(plan.path("totals").path("skipped").asInt()).isEqualTo(2);
        assertThat(plan.path("totals")
                        .path("skipped_by_reason")
                        .path("unknown-device")
                        .asInt())
                .isEqualTo(1);
        JsonNode m1 = device(plan, "m1");
        assertThat(m1.path("send").asBoolean()).isTrue();
        assertThat(m1.path("power_now_w").asLong()).isEqualTo(3000);
        // The engine's own figure: asleep at 5 % of the 3010 W nameplate, said to be an estimate.
        assertThat(m1.path("power_after_w").asLong()).isEqualTo(151);
        assertThat(m1.path("estimate").asBoolean()).isTrue();
        assertThat(m1.path("basis").asText()).startsWith("estimate: asleep at 5 % of its nameplate 3010 W");
        JsonNode pdu = device(plan, "p1");
        assertThat(pdu.path("send").asBoolean()).isFalse();
        assertThat(pdu.path("message").asText()).contains("sleep");
        assertThat(device(plan, "nope").path("reason").asText()).isEqualTo("unknown-device");

        double lowered = -2 * (3000 - 150.5) / 1000;
        JsonNode rack = limit(plan, "rack-1");
        assertThat(rack.path("limit").asText()).isEqualTo("breaker");
        assertThat(rack.path("load_now_kw").asDouble()).isCloseTo(6.15, within(0.001));
        assertThat(rack.path("change_kw").asDouble()).isCloseTo(lowered, within(0.001));
        assertThat(rack.path("limit_kw").asDouble()).isEqualTo(8.0);
        assertThat(rack.path("margin_after_kw").asDouble()).isCloseTo(8 - 6.15 - lowered, within(0.001));
        assertThat(rack.path("over_limit_after").asBoolean()).isFalse();
        JsonNode feed = limit(plan, "feed-a");
        assertThat(feed.path("limit").isNull())
                .as("the feed has no limit of its own")
                .isTrue();
        assertThat(feed.path("change_kw").asDouble()).isCloseTo(lowered, within(0.001));
        assertThat(limit(plan, "demo").path("limit").asText()).isEqualTo("interconnect");

        assertThat(plan.path("engine").path("actions")).isEmpty();
        assertThat(plan.path("engine").path("says").asText())
                .isEqualTo("On its next tick the engine would do nothing: no limit is over its shed line.");
        assertNothingSent(0);
    }

    @Test
    void aWakeThatPushesTheRackOverItsLimit_isReportedWithTheEnginesReaction() throws Exception {
        JsonNode plan = JSON.readTree(post(TestUsers.ADMIN, "{\"verb\":\"wake\",\"devices\":[\"m3\"]}")
                .body());

        assertThat(device(plan, "m3").path("power_after_w").asLong()).isEqualTo(3010);
        JsonNode rack = limit(plan, "rack-1");
        assertThat(rack.path("load_after_kw").asDouble()).isCloseTo(9.01, within(0.001));
        assertThat(rack.path("over_limit_after").asBoolean()).isTrue();
        assertThat(rack.path("over_shed_line_now").asBoolean()).isFalse();
        assertThat(rack.path("margin_after_kw").asDouble()).isCloseTo(-1.01, within(0.001));
        JsonNode engine = plan.path("engine");
        assertThat(engine.path("actions_without_the_commands").asInt()).isZero();
        // It curtails the least efficient miner under the rack, not the one just woken (no efficiency known yet).
        assertThat(engine.path("actions").get(0).path("device").asText()).isEqualTo("m2");
        assertThat(engine.path("actions").get(0).path("constraint").path("node").asText())
                .isEqualTo("rack-1");
        assertThat(engine.path("over_after").get(0).path("node").asText()).isEqualTo("rack-1");
        assertThat(engine.path("says").asText())
                .startsWith("These commands would push rack rack-1 (breaker) over its shed line.")
                .contains("On its next tick the engine would shed 1 device")
                .contains("for rack rack-1 (breaker, 9.01 kW against 8.0 kW)")
                .contains("Without these commands it would take 0 actions.");
        assertNothingSent(0);
    }

    @Test
    void raisingTheLeastEfficientMinerPastTheShedLine_isSaidToBeUndoneByTheEngine() throws Exception {
        // m3 awake at 1.5 kW (25 J/TH): rack-1 draws 7.5 kW, under its 7.76 kW shed line. m2 (30 J/TH, the
        // least efficient) raised to 3.3 kW would take it to 7.8 kW, and the engine sheds the least efficient
        // miner under it: m2, the one just raised.
        reading("m3", 1500, 60, Mode.NORMAL);
        JsonNode plan = JSON.readTree(
                post(TestUsers.OPERATOR, "{\"verb\":\"set-power-target\",\"devices\":[\"m2\"],\"value\":3300}")
                        .body());

        assertThat(limit(plan, "rack-1").path("load_after_kw").asDouble()).isCloseTo(7.8, within(0.001));
        JsonNode engine = plan.path("engine");
        assertThat(engine.path("actions").get(0).path("device").asText()).isEqualTo("m2");
        assertThat(engine.path("actions").get(0).path("restore").asBoolean()).isFalse();
        assertThat(engine.path("undoes")).extracting(JsonNode::asText).containsExactly("m2");
        assertThat(engine.path("held_curtailed")).isEmpty();
        assertThat(engine.path("says").asText())
                .contains("It would undo the set-power-target on 1 of the selected devices (m2).");
        assertNothingSent(0);
    }

    @Test
    void underAGridEvent_raisingACurtailedMiner_isSaidToBeCurtailedAgain_andTheEngineShedsAnother() throws Exception {
        // The event holds the site at 5 kW: the live engine caps m2 (the least efficient) for it.
        event.set(new SiteTarget("evt-1", 5, 5, clock.instant().plusSeconds(600)));
        TickResult tick = loop.tick();
        assertThat(tick.actions())
                .singleElement()
                .satisfies(a -> assertThat(a.deviceId()).isEqualTo("m2"));
        Command capped = sentCommands().get(0);
        commands.commandResult(
                AGENT,
                Result.newBuilder()
                        .setCommandId(capped.getCommandId())
                        .setDeviceId("m2")
                        .setStatus(ResultStatus.RESULT_STATUS_APPLIED)
                        .build());
        clock.advance(Duration.ofSeconds(1));
        loop.tick();
        reading("m2", capped.getValue(), capped.getValue() / 30, Mode.NORMAL);
        clock.advance(Duration.ofSeconds(1));
        loop.tick();
        assertThat(loop.curtailments()).containsKey("m2");
        int sentBefore = sentCommands().size();

        JsonNode plan = JSON.readTree(
                post(TestUsers.OPERATOR, "{\"verb\":\"set-power-target\",\"devices\":[\"m2\"],\"value\":3300}")
                        .body());

        assertThat(plan.path("value_w").asDouble()).isEqualTo(3300.0);
        JsonNode engine = plan.path("engine");
        assertThat(engine.path("grid_event").path("event").asText()).isEqualTo("evt-1");
        assertThat(engine.path("held_curtailed")).extracting(JsonNode::asText).containsExactly("m2");
        assertThat(engine.path("actions").get(0).path("device").asText()).isEqualTo("m1");
        assertThat(engine.path("actions")
                        .get(0)
                        .path("constraint")
                        .path("limit")
                        .asText())
                .isEqualTo("grid-event");
        assertThat(limit(plan, "demo", "grid-event")
                        .path("over_shed_line_after")
                        .asBoolean())
                .isTrue();
        assertThat(engine.path("says").asText())
                .startsWith("Grid event evt-1 is in force (site target 5.0 kW).")
                .contains("1 of them the engine holds curtailed (m2): it reads the set-power-target as drift"
                        + " and curtails them again once its retry backoff has passed.");
        assertNothingSent(sentBefore);
        assertThat(loop.state().control("m2").curtailed())
                .as("the live state is untouched")
                .isTrue();
    }

    private HttpResponse<String> post(String user, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(
                                "http://127.0.0.1:" + server.localAddress().getPort() + "/api/v1/commands/dry-run"))
                        .timeout(Duration.ofSeconds(10))
                        .header("Authorization", TestUsers.basic(user))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** No command was published beyond the {@code expected} the test's own live ticks sent, nor tracked. */
    private void assertNothingSent(int expected) {
        assertThat(sentCommands()).hasSize(expected);
        int tracked = 0;
        for (String id : List.of("m1", "m2", "m3", "p1")) {
            tracked += commands.recentForDevice(id, 50).size();
        }
        assertThat(tracked).as("commands in the command store").isEqualTo(expected);
    }

    private List<Command> sentCommands() {
        List<Command> sent = new ArrayList<>();
        for (RecordingPublisher.Published p : publisher.all()) {
            if (p.topic() instanceof Topic.AgentTopic t && t.kind() == TopicKind.CMD) {
                try {
                    sent.add(WireCodec.decode(p.payload(), Command.class));
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }
        }
        return sent;
    }

    private static JsonNode device(JsonNode plan, String id) {
        for (JsonNode d : plan.path("devices")) {
            if (d.path("device").asText().equals(id)) {
                return d;
            }
        }
        throw new AssertionError("no device " + id + " in " + plan);
    }

    private static JsonNode limit(JsonNode plan, String node) {
        for (JsonNode l : plan.path("limits")) {
            if (l.path("node").asText().equals(node)) {
                return l;
            }
        }
        throw new AssertionError("no limit of " + node + " in " + plan.path("limits"));
    }

    private static JsonNode limit(JsonNode plan, String node, String kind) {
        for (JsonNode l : plan.path("limits")) {
            if (l.path("node").asText().equals(node) && l.path("limit").asText().equals(kind)) {
                return l;
            }
        }
        throw new AssertionError("no " + kind + " limit of " + node + " in " + plan.path("limits"));
    }

    private static DeviceDescriptor withMode(DeviceDescriptor miner, int alias) {
        return miner.toBuilder()
                .addMetrics(metric(alias, MetricDictionary.MODE, ""))
                .build();
    }

    private void reading(String id, double watts, double ths, Mode mode) {
        int base = switch (id) {
            case "m1" -> 10;
            case "m2" -> 20;
            default -> 30;
        };
        Data.Builder data = data(9, seq++, clock.millis())
                .addAlias(base)
                .addValue(watts)
                .addAlias(base + 1)
                .addValue(ths)
                .addAlias(base + 4)
                .addValue(mode.code());
        for (int i = 0; i < 3; i++) {
            data.addQuality(Quality.QUALITY_GOOD);
        }
        data.addStatus(status(id, DeviceHealth.DEVICE_HEALTH_ONLINE, ""));
        send(TopicKind.DATA, data.build());
    }

    private void send(TopicKind kind, Message message) {
        ingest.agentMessage(Topics.agent(SITE, AGENT, kind), ByteBuffer.wrap(WireCodec.encode(message)));
    }
}
