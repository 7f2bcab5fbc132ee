package io.headroom.agent.driver.cgminer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.headroom.agent.TestDevices;
import io.headroom.agent.config.DeviceConfig;
import io.headroom.agent.driver.CommandOutcome;
import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.DriverContractTest;
import io.headroom.agent.driver.PollResult;
import io.headroom.agent.driver.Reading;
import io.headroom.protocol.MetricDictionary;
import io.headroom.protocol.Mode;
import io.headroom.protocol.wire.DeviceHealth;
import io.headroom.protocol.wire.ResultStatus;
import io.headroom.protocol.wire.Verb;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The CGMiner driver against a loopback fake that replays the LuxOS golden capture, plus the
 * shared driver contract. The simulator-backed end-to-end check is {@code CgminerDriverSimulatorIT}.
 */
@Timeout(30)
class CgminerDriverTest extends DriverContractTest {

    private static final Duration TIMEOUT = Duration.ofMillis(400);
    private static final String LUXOS = "luxor/luxos";
    private static final String BMMINER = "antminer/bmminer";
    private static final Path LUXOS_CASE =
            io.headroom.agent.driver.GoldenCasesTest.casesRoot().resolve("luxor/antminer-s19k-pro/luxos-2025.4.8");

    private final List<FakeCgminerServer> servers = new ArrayList<>();
    private FakeCgminerServer hanging;

    @AfterEach
    void closeServers() throws IOException {
        for (FakeCgminerServer server : servers) {
            server.close();
        }
    }

    private FakeCgminerServer server() throws IOException {
        FakeCgminerServer server = new FakeCgminerServer().replaying(LUXOS_CASE);
        servers.add(server);
        return server;
    }

    private Driver driver(int port, String profile) {
        DeviceConfig device =
                TestDevices.cgminer("miner-1", profile, "127.0.0.1", port, Duration.ofSeconds(5), TIMEOUT);
        return track(TestDevices.create(device, Clock.systemUTC()));
    }

    @Override
    protected Duration deviceTimeout() {
        return TIMEOUT;
    }

    @Override
    protected Driver healthyDriver() throws IOException {
        return driver(server().port(), LUXOS);
    }

    @Override
    protected Driver hangingDriver() throws IOException {
        hanging = server().onAny(r -> new FakeCgminerServer.Hang());
        hanging.on("stats", r -> new FakeCgminerServer.Hang());
        return driver(hanging.port(), LUXOS);
    }

    @Override
    protected void awaitHangingRequest() {
        await().atMost(Duration.ofSeconds(5)).until(() -> !hanging.requests().isEmpty());
    }

    @Override
    protected Driver refusingDriver() throws IOException {
        return driver(FakeCgminerServer.closedPort(), LUXOS);
    }

    @Override
    protected Driver partlyFailingDriver() throws IOException {
        return driver(server().on("power", r -> new FakeCgminerServer.Hang()).port(), LUXOS);
    }

    @Override
    protected List<Driver> garbageDrivers() throws IOException {
        byte[] random = new byte[4096];
        new Random(42).nextBytes(random);
        List<FakeCgminerServer.Behaviour> garbage = List.of(
                new FakeCgminerServer.Reply(random, false),
                FakeCgminerServer.Reply.of("HTTP/1.1 400 Bad Request\r\n\r\n"),
                FakeCgminerServer.Reply.of("{"),
                FakeCgminerServer.Reply.of("[1,2,3]"),
                FakeCgminerServer.Reply.of("{\"id\":1}"),
                FakeCgminerServer.Reply.of(
                        "{\"STATUS\":[{\"STATUS\":\"S\"}],\"STATS\":\"not a list\",\"SUMMARY\":[7]}"),
                new FakeCgminerServer.Reply(
                        "{\"a\":\""
                                .concat("x".repeat(CgminerClient.MAX_REPLY_BYTES))
                                .getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                        false),
                new FakeCgminerServer.Drop());
        List<Driver> drivers = new ArrayList<>();
        for (FakeCgminerServer.Behaviour behaviour : garbage) {
            drivers.add(driver(
                    server().onAny(r -> behaviour)
                            .on("stats", r -> behaviour)
                            .on("summary", r -> behaviour)
                            .on("power", r -> behaviour)
                            .on("config", r -> behaviour)
                            .on("version", r -> behaviour)
                            .port(),
                    LUXOS));
        }
        return drivers;
    }

    private static double value(PollResult result, String metric, String instance) {
        return result.readings().stream()
                .filter(r -> r.metric().equals(metric) && r.instance().equals(instance))
                .mapToDouble(Reading::value)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + metric));
    }

    @Test
    void poll_luxosCapture_readsEveryMetricAndIdentity() throws Exception {
        PollResult result = healthyDriver().poll();

        assertThat(value(result, MetricDictionary.POWER, "")).isEqualTo(1051);
        assertThat(value(result, MetricDictionary.MODE, "")).isEqualTo(Mode.NORMAL.code());
        assertThat(value(result, MetricDictionary.HASHRATE, "board1"))
                .isEqualTo(18.91028, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(result.identity().model()).isEqualTo("Antminer S19k Pro");
    }

    @Test
    void poll_identity_isReadAtFirstPollThenEveryTenth() throws Exception {
        FakeCgminerServer server = server();
        Driver driver = driver(server.port(), LUXOS);
        List<Boolean> identified = new ArrayList<>();

        for (int i = 0; i < 12; i++) {
            identified.add(driver.poll().identity() != null);
        }

        assertThat(server.count("version")).isEqualTo(2);
        assertThat(server.count("stats")).isEqualTo(12);
        assertThat(identified.get(0)).isTrue();
        assertThat(identified.subList(1, 10)).containsOnly(false);
        assertThat(identified.get(10)).isTrue();
    }

    @Test
    void poll_firstCommandTimesOut_spendsOneTimeoutNotOnePerCommand() throws Exception {
        FakeCgminerServer server = server().on("stats", r -> new FakeCgminerServer.Hang());

        PollResult result = driver(server.port(), LUXOS).poll();

        assertThat(result.reason()).isEqualTo("timeout");
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void poll_nulTerminatedReplyOnOpenConnection_doesNotWaitForClose() throws Exception {
        FakeCgminerServer server = server().on(
                        "power",
                        r -> new FakeCgminerServer.Reply(
                                "{\"STATUS\":[{\"STATUS\":\"S\"}],\"POWER\":[{\"Watts\":2999}]}\u0000"
                                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                                true));

        PollResult result = driver(server.port(), LUXOS).poll();

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
        assertThat(value(result, MetricDictionary.POWER, "")).isEqualTo(2999);
    }

    @Test
    void poll_oversizeReply_isBadResponse() throws Exception {
        byte[] big = new byte[CgminerClient.MAX_REPLY_BYTES + 10];
        java.util.Arrays.fill(big, (byte) ' ');
        FakeCgminerServer server = server().on("power", r -> new FakeCgminerServer.Reply(big, false));

        PollResult result = driver(server.port(), LUXOS).poll();

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_DEGRADED);
        assertThat(result.reason()).isEqualTo("bad-response");
        assertThat(result.message()).contains("exceeds");
    }

    @Test
    void poll_implausibleValue_isUncertainNotDropped() throws Exception {
        FakeCgminerServer server = server().on(
                        "power",
                        r -> FakeCgminerServer.Reply.of(
                                "{\"STATUS\":[{\"STATUS\":\"S\"}],\"POWER\":[{\"Watts\":65535000}]}"));

        PollResult result = driver(server.port(), LUXOS).poll();

        Reading power = result.readings().stream()
                .filter(r -> r.metric().equals("power"))
                .findFirst()
                .orElseThrow();
        assertThat(power.quality()).isEqualTo(io.headroom.protocol.wire.Quality.QUALITY_UNCERTAIN);
    }

    /** A LuxOS-like session and curtail state machine on the fake. */
    private FakeCgminerServer luxosWithCurtail(AtomicReference<String> curtailMode, boolean obey) throws IOException {
        FakeCgminerServer server = server();
        server.on(
                "logon",
                r -> FakeCgminerServer.Reply.of(
                        "{\"STATUS\":[{\"STATUS\":\"S\",\"Code\":303,\"Msg\":\"Logon\"}],\"SESSION\":[{\"SessionID\":\"s3cr3t\"}],\"id\":1}"));
        server.on(
                "logoff",
                r -> FakeCgminerServer.Reply.of("{\"STATUS\":[{\"STATUS\":\"S\",\"Msg\":\"Logoff\"}],\"id\":1}"));
        server.on("curtail", r -> {
            if (obey && r.parameter().equals("s3cr3t,sleep")) {
                curtailMode.set("Sleep");
            } else if (obey && r.parameter().equals("s3cr3t,wakeup")) {
                curtailMode.set("None");
            }
            return FakeCgminerServer.Reply.of(
                    "{\"STATUS\":[{\"STATUS\":\"S\",\"Code\":335}],\"CURTAIL\":[{\"Action\":\"x\"}],\"id\":1}");
        });
        server.on(
                "config",
                r -> FakeCgminerServer.Reply.of("{\"STATUS\":[{\"STATUS\":\"S\"}],\"CONFIG\":[{\"CurtailMode\":\""
                        + curtailMode.get() + "\"}],\"id\":1}"));
        return server;
    }

    @Test
    void execute_sleepOnLuxos_usesSessionAndIsAppliedByReadBack() throws Exception {
        AtomicReference<String> mode = new AtomicReference<>("None");
        FakeCgminerServer server = luxosWithCurtail(mode, true);

        CommandOutcome outcome = driver(server.port(), LUXOS).execute(Verb.VERB_SLEEP, 0);

        assertThat(outcome.status()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(outcome.readBack()).hasValue(Mode.SLEEP.code());
        assertThat(server.requests())
                .containsExactly(
                        new FakeCgminerServer.Request("logon", null),
                        new FakeCgminerServer.Request("curtail", "s3cr3t,sleep"),
                        new FakeCgminerServer.Request("logoff", "s3cr3t"),
                        new FakeCgminerServer.Request("config", null));
    }

    @Test
    void execute_wakeOnLuxos_isAppliedWithNormalMode() throws Exception {
        AtomicReference<String> mode = new AtomicReference<>("Sleep");
        FakeCgminerServer server = luxosWithCurtail(mode, true);

        CommandOutcome outcome = driver(server.port(), LUXOS).execute(Verb.VERB_WAKE, 0);

        assertThat(outcome.status()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(outcome.readBack()).hasValue(Mode.NORMAL.code());
    }

    @Test
    void execute_deviceIgnoresCurtail_isReadbackMismatch() throws Exception {
        AtomicReference<String> mode = new AtomicReference<>("None");
        FakeCgminerServer server = luxosWithCurtail(mode, false);

        CommandOutcome outcome = driver(server.port(), LUXOS).execute(Verb.VERB_SLEEP, 0);

        assertThat(outcome.status()).isEqualTo(ResultStatus.RESULT_STATUS_FAILED);
        assertThat(outcome.reason()).isEqualTo("readback-mismatch");
        assertThat(outcome.readBack()).hasValue(Mode.NORMAL.code());
    }

    @Test
    void execute_anotherSessionActive_isSessionBusy() throws Exception {
        FakeCgminerServer server = luxosWithCurtail(new AtomicReference<>("None"), true);
        server.on(
                "logon",
                r -> FakeCgminerServer.Reply.of(
                        "{\"STATUS\":[{\"STATUS\":\"E\",\"Code\":304,\"Msg\":\"Another session is active\"}],\"id\":1}"));

        CommandOutcome outcome = driver(server.port(), LUXOS).execute(Verb.VERB_SLEEP, 0);

        assertThat(outcome.status()).isEqualTo(ResultStatus.RESULT_STATUS_FAILED);
        assertThat(outcome.reason()).isEqualTo("session-busy");
        assertThat(server.count("curtail")).isZero();
    }

    @Test
    void execute_curtailRefused_failsAndStillLogsOff() throws Exception {
        FakeCgminerServer server = luxosWithCurtail(new AtomicReference<>("None"), true);
        server.on(
                "curtail",
                r -> FakeCgminerServer.Reply.of(
                        "{\"STATUS\":[{\"STATUS\":\"E\",\"Code\":45,\"Msg\":\"Access denied to 'curtail' command\"}],\"id\":1}"));

        CommandOutcome outcome = driver(server.port(), LUXOS).execute(Verb.VERB_SLEEP, 0);

        assertThat(outcome.reason()).isEqualTo("not-privileged");
        assertThat(server.count("logoff")).isEqualTo(1);
    }

    @Test
    void execute_unsupportedVerbs_areRejected() throws Exception {
        FakeCgminerServer server = server();

        CommandOutcome power = driver(server.port(), LUXOS).execute(Verb.VERB_SET_POWER_TARGET, 3000);
        CommandOutcome stockSleep = driver(server.port(), BMMINER).execute(Verb.VERB_SLEEP, 0);

        assertThat(power.status()).isEqualTo(ResultStatus.RESULT_STATUS_REJECTED);
        assertThat(power.reason()).isEqualTo("unsupported");
        assertThat(stockSleep.status()).isEqualTo(ResultStatus.RESULT_STATUS_REJECTED);
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void execute_deviceDown_failsWithReasonNotException() throws Exception {
        CommandOutcome outcome = driver(FakeCgminerServer.closedPort(), LUXOS).execute(Verb.VERB_SLEEP, 0);

        assertThat(outcome.status()).isEqualTo(ResultStatus.RESULT_STATUS_FAILED);
        assertThat(outcome.reason()).isEqualTo("connection-refused");
    }
}
