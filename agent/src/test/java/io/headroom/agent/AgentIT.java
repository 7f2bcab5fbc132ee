package io.headroom.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wiring: a config file, one simulated LuxOS miner, a real broker. The first Birth declares
 * the miner with its profile and the metrics of its first poll; Data follows; close says goodbye.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AgentIT {

    @TempDir
    Path dir;

    @Test
    void start_pollsBirthsPublishes_closeSaysGoodbye() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.start(dir);
                SimulatedSite site = SimulatedSite.start(SiteSpec.of(1, 7L), Clock.systemUTC());
                FakeController controller = new FakeController(broker.url(), "s1")) {
            InetSocketAddress miner = site.miner(0).address();
            Files.writeString(dir.resolve("rack-1.password"), "s3cret\n");
            Path yaml = dir.resolve("agent.yaml");
            Files.writeString(yaml, String.join("\n",
                    "agent-id: rack-1",
                    "site: s1",
                    "mqtt:",
                    "  url: " + broker.url(),
                    "  password-file: " + dir.resolve("rack-1.password"),
                    "  reconnect-max: 1s",
                    "publish:",
                    "  batch-interval: 200ms",
                    "devices:",
                    "  - id: miner-1",
                    "    profile: luxor/luxos",
                    "    host: " + miner.getAddress().getHostAddress(),
                    "    port: " + miner.getPort(),
                    "    poll-interval: 1s",
                    "    timeout: 1s",
                    ""));

            Agent agent = Agent.start(yaml);
            try {
                await().atMost(Duration.ofSeconds(20)).until(() -> agent.connected() && !controller.data().isEmpty());
                Birth birth = controller.births().get(0);
                assertThat(birth.getBootId()).isEqualTo(agent.bootId()).isNotZero();
                DeviceDescriptor device = birth.getDevices(0);
                assertThat(device.getId()).isEqualTo("miner-1");
                assertThat(device.getKind()).isEqualTo(DeviceKind.DEVICE_KIND_MINER);
                assertThat(device.getProfile()).isEqualTo("luxor/luxos");
                assertThat(device.getModel()).isNotEmpty();
                assertThat(device.getMetricsList()).extracting(MetricDefinition::getName).contains("power");
                Data data = controller.data().get(0);
                assertThat(data.getAliasCount()).isEqualTo(device.getMetricsCount());
                assertThat(data.getStatusList()).extracting(DeviceStatus::getHealth)
                        .containsExactly(DeviceHealth.DEVICE_HEALTH_ONLINE);
                assertThat(agent.unackedCount()).as("nothing acked").isPositive();
            } finally {
                agent.close();
                agent.close();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> !controller.deaths().isEmpty());
            assertThat(controller.deaths().get(0).getReason()).isEqualTo("shutdown");
            assertThat(agent.connected()).isFalse();
        }
    }
}
