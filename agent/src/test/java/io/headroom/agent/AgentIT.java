package io.headroom.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headroom.agent.publish.FakeController;
import io.headroom.agent.publish.MosquittoBroker;
import io.headroom.protocol.wire.Birth;
import io.headroom.protocol.wire.Data;
import io.headroom.protocol.wire.DeviceDescriptor;
import io.headroom.protocol.wire.DeviceHealth;
import io.headroom.protocol.wire.DeviceKind;
import io.headroom.protocol.wire.DeviceStatus;
import io.headroom.protocol.wire.MetricDefinition;
import io.headroom.simulator.site.SimulatedSite;
import io.headroom.simulator.site.SiteSpec;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wiring: a config file, one simulated LuxOS miner, a real broker. The first Birth declares
 * the miner with its profile and the metrics of its first poll; Data follows; the agent's own
 * metrics and health are served, and the health says when the controller is out of reach; close
 * says goodbye.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AgentIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void start_pollsBirthsPublishes_closeSaysGoodbye() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.start(dir);
                SimulatedSite site = SimulatedSite.start(SiteSpec.of(1, 7L), Clock.systemUTC());
                FakeController controller = new FakeController(broker.url(), "s1")) {
            Path yaml = writeConfig(broker, site.miner(0).address());

            Agent agent = Agent.start(yaml);
            try {
                // The first Birth may go out before the first poll ends (its hold-off is one poll
                // interval) and name no metrics yet; a second one follows it. Check the one in force.
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> agent.connected()
                                && !controller.data().isEmpty()
                                && lastBirth(controller).getDevices(0).getMetricsCount() > 0);
                Birth birth = lastBirth(controller);
                assertThat(birth.getBootId()).isEqualTo(agent.bootId()).isNotZero();
                DeviceDescriptor device = birth.getDevices(0);
                assertThat(device.getId()).isEqualTo("miner-1");
                assertThat(device.getKind()).isEqualTo(DeviceKind.DEVICE_KIND_MINER);
                assertThat(device.getProfile()).isEqualTo("luxor/luxos");
                assertThat(device.getModel()).isNotEmpty();
                assertThat(device.getMetricsList())
                        .extracting(MetricDefinition::getName)
                        .contains("power");
                Data data = controller.data().get(controller.data().size() - 1);
                assertThat(data.getAliasCount()).isEqualTo(device.getMetricsCount());
                assertThat(data.getStatusList())
                        .extracting(DeviceStatus::getHealth)
                        .containsExactly(DeviceHealth.DEVICE_HEALTH_ONLINE);
                assertThat(agent.unackedCount()).as("nothing acked").isPositive();

                String status = "http://127.0.0.1:" + agent.statusAddress().getPort();
                HttpResponse<String> metrics = get(status + "/metrics");
                assertThat(metrics.statusCode()).isEqualTo(200);
                assertThat(metrics.headers().firstValue("Content-Type"))
                        .hasValue("text/plain; version=0.0.4; charset=utf-8");
                assertThat(metrics.body())
                        .contains("headroom_agent_poll_duration_seconds_count{device=\"miner-1\"")
                        .contains("headroom_outbox_depth ");
                HttpResponse<String> health = get(status + "/health");
                assertThat(health.statusCode()).isEqualTo(200);
                JsonNode body = new ObjectMapper().readTree(health.body());
                assertThat(body.path("agent").asText()).isEqualTo("rack-1");
                assertThat(body.path("mqtt").path("connected").asBoolean()).isTrue();
                assertThat(body.path("devices").path("online").asInt()).isEqualTo(1);
                assertThat(body.path("unacked").asInt()).isPositive();
                assertThat(body.path("setpoints").path("held").asInt()).isZero();
                assertThat(body.path("setpoints").path("lease").asText())
                        .as("no controller state is published in this test")
                        .isEqualTo("no-state");
                assertThat(get(status + "/nope").statusCode()).isEqualTo(404);
                assertThat(HTTP.send(
                                        HttpRequest.newBuilder(URI.create(status + "/health"))
                                                .POST(HttpRequest.BodyPublishers.noBody())
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .statusCode())
                        .isEqualTo(405);
            } finally {
                agent.close();
                agent.close();
            }
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !controller.deaths().isEmpty());
            assertThat(controller.deaths().get(0).getReason()).isEqualTo("shutdown");
            assertThat(agent.connected()).isFalse();
        }
    }

    @Test
    void profileAuto_theBirthNamesTheIdentifiedProfileAndItsCapabilities() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.start(dir);
                SimulatedSite site = SimulatedSite.start(SiteSpec.of(1, 7L), Clock.systemUTC());
                FakeController controller = new FakeController(broker.url(), "s1")) {
            Path yaml = writeConfig(broker, site.miner(0).address(), "auto");

            try (Agent agent = Agent.start(yaml)) {
                // As above, a Birth sent before the first poll ended names no metrics yet.
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> controller.births().stream()
                                .anyMatch(b -> b.getDevices(0).getProfile().equals("luxor/luxos")
                                        && b.getDevices(0).getMetricsCount() > 0));
                DeviceDescriptor device = controller.births().stream()
                        .map(b -> b.getDevices(0))
                        .filter(d -> d.getProfile().equals("luxor/luxos") && d.getMetricsCount() > 0)
                        .findFirst()
                        .orElseThrow();
                assertThat(device.getKind()).isEqualTo(DeviceKind.DEVICE_KIND_MINER);
                assertThat(device.getCapabilitiesList())
                        .extracting(c -> c.getVerb())
                        .containsExactly(
                                io.headroom.protocol.wire.Verb.VERB_SLEEP,
                                io.headroom.protocol.wire.Verb.VERB_WAKE,
                                io.headroom.protocol.wire.Verb.VERB_REBOOT);
                assertThat(device.getNameplatePowerW()).isEqualTo(3250);
                assertThat(device.getMetricsList())
                        .extracting(MetricDefinition::getName)
                        .contains("power");
            }
        }
    }

    private static Birth lastBirth(FakeController controller) {
        List<Birth> births = controller.births();
        return births.get(births.size() - 1);
    }

    private Path writeConfig(MosquittoBroker broker, InetSocketAddress miner) throws Exception {
        return writeConfig(broker, miner, "luxor/luxos");
    }

    /** An agent.yaml for rack-1 with one LuxOS miner, its metrics on a free port. */
    private Path writeConfig(MosquittoBroker broker, InetSocketAddress miner, String profile) throws Exception {
        Files.writeString(dir.resolve("rack-1.password"), "s3cret\n");
        Path yaml = dir.resolve("agent.yaml");
        Files.writeString(
                yaml,
                String.join(
                        "\n",
                        "agent-id: rack-1",
                        "site: s1",
                        "mqtt:",
                        "  url: " + broker.url(),
                        "  password: {file: " + dir.resolve("rack-1.password") + "}",
                        "  reconnect-max: 1s",
                        "publish:",
                        "  batch-interval: 200ms",
                        "metrics:",
                        "  port: 0",
                        "devices:",
                        "  - id: miner-1",
                        "    profile: " + profile,
                        "    cgminer:",
                        "      host: " + miner.getAddress().getHostAddress(),
                        "      port: " + miner.getPort(),
                        "    poll-interval: 1s",
                        "    timeout: 1s",
                        ""));
        return yaml;
    }

    @Test
    void health_says503WhileTheControllerIsOutOfReach_andDevicesStillPolled() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.start(dir);
                SimulatedSite site = SimulatedSite.start(SiteSpec.of(1, 7L), Clock.systemUTC());
                Agent agent = Agent.start(writeConfig(broker, site.miner(0).address()))) {
            String health = "http://127.0.0.1:" + agent.statusAddress().getPort() + "/health";
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                HttpResponse<String> response = get(health);
                return response.statusCode() == 200
                        && new ObjectMapper()
                                        .readTree(response.body())
                                        .path("devices")
                                        .path("online")
                                        .asInt()
                                == 1;
            });

            broker.stop();

            await().atMost(Duration.ofSeconds(10)).until(() -> get(health).statusCode() == 503);
            JsonNode cutOff = new ObjectMapper().readTree(get(health).body());
            assertThat(cutOff.path("mqtt").path("connected").asBoolean()).isFalse();
            assertThat(cutOff.path("devices").path("online").asInt())
                    .as("polling goes on")
                    .isEqualTo(1);
        }
    }
}
