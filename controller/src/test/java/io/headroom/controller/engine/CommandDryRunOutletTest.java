package io.headroom.controller.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headroom.controller.RecordingPublisher;
import io.headroom.controller.SteppableClock;
import io.headroom.controller.command.CommandService;
import io.headroom.controller.site.DeviceLookup;
import io.headroom.controller.site.SiteLoader;
import io.headroom.controller.store.DeviceCapability;
import io.headroom.controller.store.DeviceRecord;
import io.headroom.controller.store.DeviceState;
import io.headroom.controller.store.MetricSlot;
import io.headroom.controller.store.StateStore;
import io.headroom.protocol.wire.Verb;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The command dry-run of the device page's locate and outlet actions, planned by the real engine loop on a
 * site whose PDU meters and switches the miners' outlets: an outlet's command changes the power of the
 * devices that outlet feeds (the site model's {@code outlet}), as its state now says; locate changes none.
 */
class CommandDryRunOutletTest {

    /** pdu-dev-1 meters rack-1's outlets: m1 on outlet 1 (on, 3000 W), m2 on outlet 2 (off, 0 W); outlet 3 is free. */
    private static final String SITE_YAML = """
            site: s1
            limit-kw: 100
            feeds:
              - id: feed-a
                pdus:
                  - id: pdu-1
                    breaker: {amps: 63, volts: 230, phases: 1}
                    meter: {agent: a1, device: pdu-dev-1}
                    racks:
                      - id: rack-1
                        limit-kw: 8
                        devices:
                          - {id: m1, agent: a1, class: hashing, outlet: "1"}
                          - {id: m2, agent: a1, class: hashing, outlet: "2"}
            """;

    private final SteppableClock clock = new SteppableClock(Instant.parse("2026-12-01T12:00:00Z"));
    private final StateStore store = new StateStore();
    private final RecordingPublisher publisher = new RecordingPublisher();
    private final ObjectMapper json = new ObjectMapper();
    private CommandService commands;
    private CommandDryRun dryRun;

    @BeforeEach
    void site() throws Exception {
        commands = new CommandService("s1", store, publisher, clock, new SimpleMeterRegistry());
        List<String> outlets = List.of("1", "2", "3");
        DeviceRecord pdu = new DeviceRecord(
                "pdu-dev-1",
                "a1",
                "pdu",
                "AP8959",
                "apc/rpdu2",
                "",
                0,
                List.of(
                        new MetricSlot("power", "", "W"),
                        new MetricSlot("power", "1", "W"),
                        new MetricSlot("power", "2", "W"),
                        new MetricSlot("outlet.state", "1", ""),
                        new MetricSlot("outlet.state", "2", "")),
                List.of(
                        outletCapability(Verb.VERB_OUTLET_ON, outlets, false),
                        outletCapability(Verb.VERB_OUTLET_OFF, outlets, true),
                        outletCapability(Verb.VERB_OUTLET_CYCLE, outlets, true)),
                DeviceState.ONLINE,
                "",
                "",
                clock.instant());
        store.replaceAgentDevices("a1", List.of(pdu, miner("m1"), miner("m2")));
        long now = clock.millis();
        pdu.apply(0, 3000, now, 0, now);
        pdu.apply(1, 3000, now, 0, now);
        pdu.apply(2, 0, now, 0, now);
        pdu.apply(3, 1, now, 0, now);
        pdu.apply(4, 0, now, 0, now);
        store.record("m1").apply(0, 3000, now, 0, now);
        EngineLoop loop = new EngineLoop(
                new EngineState(SiteLoader.parse("site.yaml", SITE_YAML)),
                new ControlEngine(EngineSettings.defaults()),
                DeviceLookup.of(store),
                commands,
                new DecisionLog(),
                TargetSource.NONE,
                EngineJournal.NONE,
                clock,
                new SimpleMeterRegistry());
        dryRun = new CommandDryRun(loop, commands, DeviceLookup.of(store));
    }

    @Test
    void outletOff_cutsWhatTheOutletFeeds_andTheRackAndSiteLimitsMoveByIt() throws Exception {
        JsonNode plan = plan("{\"verb\":\"outlet-off\",\"devices\":[\"pdu-dev-1\"],\"instance\":\"1\"}");

        JsonNode pdu = plan.path("devices").get(0);
        assertThat(pdu.path("send").asBoolean()).as(plan.toString()).isTrue();
        assertThat(pdu.path("feeds")).hasSize(1);
        JsonNode m1 = pdu.path("feeds").get(0);
        assertThat(m1.path("device").asText()).isEqualTo("m1");
        assertThat(m1.path("power_now_w").asLong()).isEqualTo(3000);
        assertThat(m1.path("power_after_w").asLong()).isZero();
        assertThat(m1.path("estimate").asBoolean()).isFalse();
        assertThat(pdu.path("basis").asText()).isEqualTo("outlet 1 of pdu-dev-1 feeds m1: its power cut: 0 W");
        assertThat(plan.path("totals").path("change_w").asLong()).isEqualTo(-3000);
        JsonNode rack = limit(plan, "rack-1");
        assertThat(rack.path("change_kw").asDouble()).isEqualTo(-3.0);
        assertThat(rack.path("load_after_kw").asDouble()).isEqualTo(0.0);
        assertThat(plan.path("engine").path("says").asText())
                .isEqualTo("On its next tick the engine would do nothing: no limit is over its shed line.");
        assertThat(publisher.all()).as("a dry-run sends nothing").isEmpty();
        assertThat(commands.recentForDevice("pdu-dev-1", 10)).isEmpty();
    }

    @Test
    void outletOn_ofAnOutletOffNow_bringsItsDeviceBackAtNameplate_andOneOnAlreadyChangesNothing() throws Exception {
        JsonNode off = plan("{\"verb\":\"outlet-on\",\"devices\":[\"pdu-dev-1\"],\"instance\":\"2\"}");
        JsonNode m2 = off.path("devices").get(0).path("feeds").get(0);
        assertThat(m2.path("device").asText()).isEqualTo("m2");
        assertThat(m2.path("power_now_w").asLong()).isZero();
        assertThat(m2.path("power_after_w").asLong())
                .as("the miner's nameplate")
                .isEqualTo(3250);
        assertThat(m2.path("estimate").asBoolean()).isTrue();
        assertThat(m2.path("basis").asText()).startsWith("estimate: back at its nameplate 3250 W");
        assertThat(limit(off, "rack-1").path("change_kw").asDouble()).isEqualTo(3.25);

        JsonNode on = plan("{\"verb\":\"outlet-on\",\"devices\":[\"pdu-dev-1\"],\"instance\":\"1\"}");
        assertThat(on.path("devices").get(0).path("feeds").get(0).path("basis").asText())
                .isEqualTo("the outlet is on already: no change");
        assertThat(on.path("totals").path("change_w").asLong()).isZero();
        assertThat(on.path("limits")).as("no load changes").isEmpty();
    }

    @Test
    void anOutletThatFeedsNoDeviceOfTheSiteModel_isSaidNotToBeEstimated() throws Exception {
        JsonNode plan = plan("{\"verb\":\"outlet-cycle\",\"devices\":[\"pdu-dev-1\"],\"instance\":\"3\"}");

        JsonNode pdu = plan.path("devices").get(0);
        assertThat(pdu.path("send").asBoolean()).isTrue();
        assertThat(pdu.path("feeds")).isEmpty();
        assertThat(pdu.path("power_now_w").isNull()).isTrue();
        assertThat(pdu.has("power_after_w")).isFalse();
        assertThat(pdu.path("basis").asText())
                .isEqualTo("not estimated: outlet 3 of pdu-dev-1 feeds no device of the site model");
        assertThat(plan.path("totals").path("estimated").asInt()).isEqualTo(1);
    }

    @Test
    void locate_isCheckedAgainstEachDevicesCapabilities_andChangesNoPower() throws Exception {
        JsonNode plan = plan("{\"verb\":\"locate-on\",\"devices\":[\"m1\",\"pdu-dev-1\"]}");

        JsonNode m1 = plan.path("devices").get(0);
        assertThat(m1.path("send").asBoolean()).isTrue();
        assertThat(m1.path("power_now_w").asLong()).isEqualTo(3000);
        assertThat(m1.path("power_after_w").asLong()).isEqualTo(3000);
        assertThat(m1.path("estimate").asBoolean()).isFalse();
        assertThat(m1.path("basis").asText()).startsWith("locate only lights or clears the device's LED");
        JsonNode pdu = plan.path("devices").get(1);
        assertThat(pdu.path("send").asBoolean()).isFalse();
        assertThat(pdu.path("reason").asText()).isEqualTo("unsupported");
        assertThat(plan.path("limits")).isEmpty();
    }

    @Test
    void anOutletVerb_isCheckedForItsInstance_byTheCommandServicesOwnWords() throws Exception {
        JsonNode noInstance = dryRun.plan(json.readTree("{\"verb\":\"outlet-off\",\"devices\":[\"pdu-dev-1\"]}"))
                .body();
        assertThat(noInstance.path("error").asText())
                .isEqualTo("instance: required for outlet-off, the outlet (a string of 1 to 32 characters)");
        JsonNode onSleep = dryRun.plan(json.readTree("{\"verb\":\"sleep\",\"devices\":[\"m1\"],\"instance\":\"1\"}"))
                .body();
        assertThat(onSleep.path("error").asText())
                .isEqualTo("instance: sleep applies to the device itself and takes no instance");

        JsonNode unknown = plan("{\"verb\":\"outlet-off\",\"devices\":[\"pdu-dev-1\",\"m1\"],\"instance\":\"9\"}");
        assertThat(unknown.path("devices").get(0).path("reason").asText()).isEqualTo("unknown-instance");
        assertThat(unknown.path("devices").get(0).path("message").asText())
                .isEqualTo("pdu-dev-1 has no outlet-off instance '9'; valid: 1, 2, 3");
        assertThat(unknown.path("devices").get(1).path("reason").asText()).isEqualTo("unsupported");
        assertThat(unknown.path("totals").path("send").asInt()).isZero();
    }

    private JsonNode plan(String body) throws Exception {
        CommandDryRun.Answer answer = dryRun.plan(json.readTree(body));
        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
        return answer.body();
    }

    private static JsonNode limit(JsonNode plan, String node) {
        for (JsonNode l : plan.path("limits")) {
            if (l.path("node").asText().equals(node)) {
                return l;
            }
        }
        throw new AssertionError("no limit of " + node + " in " + plan.path("limits"));
    }

    private DeviceRecord miner(String id) {
        return new DeviceRecord(
                id,
                "a1",
                "miner",
                "S19",
                "luxor/luxos",
                "",
                3250,
                List.of(new MetricSlot("power", "", "W")),
                List.of(
                        DeviceCapability.of(Verb.VERB_SLEEP),
                        DeviceCapability.of(Verb.VERB_LOCATE_ON),
                        DeviceCapability.of(Verb.VERB_LOCATE_OFF)),
                DeviceState.ONLINE,
                "",
                "",
                clock.instant());
    }

    private static DeviceCapability outletCapability(Verb verb, List<String> outlets, boolean dangerous) {
        return new DeviceCapability(
                verb, "", 0, 0, 0, outlets, Duration.ofSeconds(2), Duration.ZERO, "outlet.state", 0, dangerous);
    }
}
