package io.headroom.agent.driver.redfish;

import static org.awaitility.Awaitility.await;

import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.DriverContractTest;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** The driver contract for the redfish driver over HTTPS against the simulated GPU server's BMC. */
class RedfishDriverContractTest extends DriverContractTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final String PROFILE = "dmtf/redfish-gpu-server";

    private static Path dir;
    private static RedfishTestBmc bmc;
    private int requestsBeforeHang;

    @BeforeAll
    static void startBmc() throws IOException {
        dir = Files.createTempDirectory("redfish-contract");
        bmc = new RedfishTestBmc(dir);
    }

    @AfterAll
    static void stopBmc() {
        bmc.close();
    }

    /** Runs before the contract's own AfterEach closes the drivers, so their session DELETEs go through. */
    @AfterEach
    void clearQuirks() {
        bmc.server.clearQuirks();
    }

    @Override
    protected Duration deviceTimeout() {
        return TIMEOUT;
    }

    @Override
    protected Driver healthyDriver() {
        return track(bmc.driver(PROFILE, bmc.settings(), TIMEOUT));
    }

    @Override
    protected Driver hangingDriver() {
        requestsBeforeHang = bmc.server.requests();
        bmc.server.setResponseDelay(Duration.ofSeconds(20));
        return healthyDriver();
    }

    @Override
    protected void awaitHangingRequest() {
        await().atMost(Duration.ofSeconds(10)).until(() -> bmc.server.requests() > requestsBeforeHang);
    }

    @Override
    protected Driver refusingDriver() throws IOException {
        int free;
        try (ServerSocket socket = new ServerSocket(0)) {
            free = socket.getLocalPort();
        }
        return track(bmc.driver(
                PROFILE,
                bmc.settings(RedfishAuth.SESSION, java.util.Optional.of(bmc.caFile), bmc.passwordFile, free),
                TIMEOUT));
    }

    @Override
    protected Driver partlyFailingDriver() {
        bmc.server.setMissing(Set.of("/redfish/v1/Chassis/HGX/Sensors"));
        return healthyDriver();
    }

    @Override
    protected List<Driver> garbageDrivers() {
        return List.of(
                new QuirkDriver(healthyDriver(), () -> bmc.server.setGarbage(true)),
                new QuirkDriver(healthyDriver(), () -> bmc.server.setOversize(true)));
    }

    /** Turns its quirk on just before its poll (the drivers share one BMC). */
    private static final class QuirkDriver implements Driver {
        private final Driver driver;
        private final Runnable quirk;

        QuirkDriver(Driver driver, Runnable quirk) {
            this.driver = driver;
            this.quirk = quirk;
        }

        @Override
        public io.headroom.agent.driver.PollResult poll() throws InterruptedException {
            bmc.server.clearQuirks();
            quirk.run();
            return driver.poll();
        }

        @Override
        public io.headroom.agent.driver.CommandOutcome execute(
                io.headroom.protocol.wire.Verb verb, double value, String instance) throws InterruptedException {
            return driver.execute(verb, value, instance);
        }

        @Override
        public void close() {
            driver.close();
        }

        @Override
        public String toString() {
            return driver.toString();
        }
    }
}
