package io.headroom.controller.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headroom.controller.RecordingPublisher;
import io.headroom.controller.SteppableClock;
import io.headroom.controller.command.CommandService;
import io.headroom.controller.site.DeviceLookup;
import io.headroom.controller.store.DeviceCapability;
import io.headroom.controller.store.DeviceRecord;
import io.headroom.controller.store.DeviceState;
import io.headroom.controller.store.MetricSlot;
import io.headroom.controller.store.StateStore;
import io.headroom.protocol.wire.Verb;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The command dry-run without a control engine: the per-device part still answers, and says there are no limits. */
class CommandDryRunTest {

    private final SteppableClock clock = new SteppableClock(Instant.parse("2026-12-01T12:00:00Z"));
    private final StateStore store = new StateStore();
    private final RecordingPublisher publisher = new RecordingPublisher();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void withoutAnEngine_eachDeviceIsStillCheckedAndItsPowerEstimated_andNothingIsSent() throws Exception {
        CommandService commands = new CommandService("demo", store, publisher, clock, new SimpleMeterRegistry());
        DeviceRecord m1 = new DeviceRecord(
                "m1",
                "a1",
                "miner",
                "S19",
                "luxor/luxos",
                "",
                3200,
                List.of(new MetricSlot("power", "", "W")),
                List.of(DeviceCapability.of(Verb.VERB_SLEEP)),
                DeviceState.ONLINE,
                "",
                "",
                clock.instant());
        store.replaceAgentDevices("a1", List.of(m1));
        m1.apply(0, 3000, clock.millis(), 0, clock.millis());
        CommandDryRun dryRun = new CommandDryRun(null, commands, DeviceLookup.of(store));

        CommandDryRun.Answer answer = dryRun.plan(json.readTree("{\"verb\":\"wake\",\"devices\":[\"m1\"]}"));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().path("devices").get(0).path("reason").asText()).isEqualTo("unsupported");

        JsonNode sleep = dryRun.plan(json.readTree("{\"verb\":\"sleep\",\"devices\":[\"m1\"]}"))
                .body();
        assertThat(sleep.path("engine").isNull()).isTrue();
        assertThat(sleep.path("limits")).isEmpty();
        assertThat(sleep.path("engine_says").asText()).startsWith("No control engine");
        JsonNode device = sleep.path("devices").get(0);
        assertThat(device.path("in_site_model").asBoolean()).isFalse();
        assertThat(device.path("power_now_w").asLong()).isEqualTo(3000);
        assertThat(device.path("power_after_w").asLong())
                .as("5 % of the 3200 W nameplate")
                .isEqualTo(160);
        assertThat(sleep.path("totals").path("change_w").asLong()).isEqualTo(-2840);
        assertThat(publisher.all()).isEmpty();
        assertThat(commands.recentForDevice("m1", 10)).isEmpty();
    }
}
