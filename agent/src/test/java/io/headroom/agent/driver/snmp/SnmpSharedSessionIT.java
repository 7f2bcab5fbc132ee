package io.headroom.agent.driver.snmp;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.DriverContext;
import io.headroom.agent.driver.GoldenCasesTest;
import io.headroom.agent.driver.PollResult;
import io.headroom.protocol.wire.DeviceHealth;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Hundreds of SNMP devices share the agent's one session: one UDP socket, one SNMP4J {@code Snmp}. */
@Timeout(120)
class SnmpSharedSessionIT {

    private static final int DEVICES = 200;
    private static final Path CASE = GoldenCasesTest.casesRoot().resolve("apc/ap8641/aos-6.7.2/walk.snmprec");

    @Test
    void twoHundredDevices_polledAtOnce_useOneSessionAndOneSocket() throws Exception {
        DriverContext context = SnmpTestDevices.context(Map.of("public", "public"));
        List<SnmpTestAgent> agents = new ArrayList<>();
        List<Driver> drivers = new ArrayList<>();
        ExecutorService lanes = Executors.newFixedThreadPool(8);
        try {
            for (int i = 0; i < 4; i++) {
                agents.add(new SnmpTestAgent(Snmprec.read(CASE), "public"));
            }
            int sessionsBefore = SnmpSession.opened();
            int threadsBefore = Thread.activeCount();
            for (int i = 0; i < DEVICES; i++) {
                drivers.add(SnmpTestDevices.driver(
                        "pdu-" + i,
                        "apc/rpdu2",
                        SnmpTestDevices.communitySettings(
                                agents.get(i % agents.size()).port(), SnmpVersion.V2C, "public"),
                        Duration.ofSeconds(5),
                        context));
            }
            int threadsWithDrivers = Thread.activeCount();
            List<Future<PollResult>> polls = new ArrayList<>();
            for (Driver driver : drivers) {
                polls.add(lanes.submit(driver::poll));
            }
            for (Future<PollResult> poll : polls) {
                PollResult result = poll.get(60, TimeUnit.SECONDS);
                assertThat(result.health()).as(result.message()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
            }

            SnmpSession session = context.shared(SnmpSession.SHARED_KEY, SnmpSession.class, () -> {
                throw new AssertionError("the drivers opened the session already");
            });
            assertThat(SnmpSession.opened() - sessionsBefore).isEqualTo(1);
            assertThat(session.transports()).isEqualTo(1);
            for (SnmpTestAgent agent : agents) {
                assertThat(agent.sources())
                        .as("source addresses seen by one agent")
                        .hasSize(1);
            }
            assertThat(agents.stream().flatMap(a -> a.sources().stream()).distinct())
                    .as("one socket for every device")
                    .hasSize(1);
            assertThat(threadsWithDrivers - threadsBefore)
                    .as("creating 200 drivers starts no thread")
                    .isZero();
        } finally {
            lanes.shutdownNow();
            drivers.forEach(Driver::close);
            for (SnmpTestAgent agent : agents) {
                agent.close();
            }
            context.close();
        }
    }
}
