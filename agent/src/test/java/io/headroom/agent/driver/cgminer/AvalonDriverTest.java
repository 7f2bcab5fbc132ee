package io.headroom.agent.driver.cgminer;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.agent.TestDevices;
import io.headroom.agent.config.DeviceConfig;
import io.headroom.agent.driver.CommandOutcome;
import io.headroom.agent.driver.Driver;
import io.headroom.protocol.Mode;
import io.headroom.protocol.wire.ResultStatus;
import io.headroom.protocol.wire.Verb;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Avalon controls against a loopback fake that answers with captured replies (the pyasic A1566 estats,
 * the asic-rs ascset replies): what is sent, byte for byte, and how each reply and read-back is judged.
 */
class AvalonDriverTest {

    private static final Path BASE = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    private static final Path CASE =
            BASE.resolve("../firmware-profiles/src/test/resources/cases/canaan/avalon-a1566/pyasic-24102401");
    private static final Path ASCSET = BASE.resolve("src/test/resources/cgminer/avalon-ascset");
    private static final Instant NOW = Instant.parse("2025-07-25T09:00:21Z");

    private final List<FakeCgminerServer> servers = new ArrayList<>();
    private final List<Driver> drivers = new ArrayList<>();
    private final AtomicReference<String> estats = new AtomicReference<>();

    @AfterEach
    void close() throws IOException {
        drivers.forEach(Driver::close);
        for (FakeCgminerServer server : servers) {
            server.close();
        }
    }

    private FakeCgminerServer server() throws IOException {
        FakeCgminerServer server = new FakeCgminerServer().replaying(CASE);
        estats.set(Files.readString(CASE.resolve("estats.json")));
        server.on("estats", r -> FakeCgminerServer.Reply.of(estats.get()));
        servers.add(server);
        return server;
    }

    private Driver driver(int port) {
        DeviceConfig device = TestDevices.cgminer(
                "avalon-1", "canaan/avalon-a15", "127.0.0.1", port, Duration.ofSeconds(5), Duration.ofSeconds(2));
        Driver driver = TestDevices.create(device, Clock.fixed(NOW, ZoneOffset.UTC));
        drivers.add(driver);
        return driver;
    }

    private static String capture(String name) throws IOException {
        return Files.readString(ASCSET.resolve(name + ".json"));
    }

    /** The capture's status string with one key's value replaced. */
    private void estatsWith(String key, String from, String to) {
        String text = estats.get();
        String replaced = text.replace(key + "[" + from + "]", key + "[" + to + "]");
        assertThat(replaced).as("%s[%s] in the capture", key, from).isNotEqualTo(text);
        estats.set(replaced);
    }

    @Test
    void sleep_sendsSoftOffAtTheClocksNow_acceptsTheInfoReply_andReadsSoftOffBack() throws Exception {
        FakeCgminerServer server = server();
        server.on("ascset", r -> {
            estatsWith("SoftOFF", "0", "4");
            try {
                return FakeCgminerServer.Reply.of(capture("ascset_softoff"));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });

        CommandOutcome outcome = driver(server.port()).execute(Verb.VERB_SLEEP, 0, "");

        assertThat(outcome.status()).as(outcome.message()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(outcome.readBack()).hasValue(Mode.SLEEP.code());
        assertThat(server.requests())
                .containsExactly(
                        new FakeCgminerServer.Request("ascset", "0,softoff,1:" + NOW.getEpochSecond()),
                        new FakeCgminerServer.Request("estats", null));
    }

    @Test
    void sleep_whenSoftOffStillReadsZero_isAReadbackMismatch() throws Exception {
        FakeCgminerServer server = server();
        String reply = capture("ascset_softoff");
        server.on("ascset", r -> FakeCgminerServer.Reply.of(reply));

        CommandOutcome outcome = driver(server.port()).execute(Verb.VERB_SLEEP, 0, "");

        assertThat(outcome.status()).isEqualTo(ResultStatus.RESULT_STATUS_FAILED);
        assertThat(outcome.reason()).isEqualTo("readback-mismatch");
        assertThat(outcome.readBack()).hasValue(Mode.NORMAL.code());
    }

    @Test
    void setPowerTarget_sendsTheChosenWorkLevel_andMpoConfirmsItsWatts() throws Exception {
        FakeCgminerServer server = server();
        String ok = capture("ascset_workmode");
        server.on("ascset", r -> {
            estatsWith("MPO", "3515", "3160");
            return FakeCgminerServer.Reply.of(ok);
        });

        CommandOutcome outcome = driver(server.port()).execute(Verb.VERB_SET_POWER_TARGET, 3499, "");

        assertThat(outcome.status()).as(outcome.message()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(outcome.readBack()).hasValue(3160.0);
        assertThat(server.requests()).contains(new FakeCgminerServer.Request("ascset", "0,worklevel,set,1"));
    }

    @Test
    void setPowerTarget_whenMpoDoesNotMove_isAReadbackMismatchCarryingWhatItReads() throws Exception {
        FakeCgminerServer server = server();
        String ok = capture("ascset_workmode");
        server.on("ascset", r -> FakeCgminerServer.Reply.of(ok));

        CommandOutcome outcome = driver(server.port()).execute(Verb.VERB_SET_POWER_TARGET, 2900, "");

        assertThat(outcome.status()).isEqualTo(ResultStatus.RESULT_STATUS_FAILED);
        assertThat(outcome.reason()).isEqualTo("readback-mismatch");
        assertThat(outcome.readBack()).hasValue(3515.0);
        assertThat(outcome.message()).contains("expected power.target 2810").contains("device reports 3515 W");
    }

    @Test
    void setPowerTarget_refusedByTheFirmware_failsWithItsOwnWords() throws Exception {
        FakeCgminerServer server = server();
        server.on(
                "ascset",
                r -> FakeCgminerServer.Reply.of(
                        "{\"STATUS\":[{\"STATUS\":\"E\",\"Code\":120,\"Msg\":\"ASC 0 set failed: locked\"}],\"id\":1}"));

        CommandOutcome outcome = driver(server.port()).execute(Verb.VERB_SET_POWER_TARGET, 3200, "");

        assertThat(outcome.status()).isEqualTo(ResultStatus.RESULT_STATUS_FAILED);
        assertThat(outcome.reason()).isEqualTo("device-error");
        assertThat(outcome.message()).contains("ASC 0 set failed: locked");
    }

    @Test
    void locateOn_whenLedStaysOff_isAReadbackMismatch_andWhenItLights_isApplied() throws Exception {
        FakeCgminerServer server = server();
        String ok = capture("ascset_workmode");
        server.on("ascset", r -> FakeCgminerServer.Reply.of(ok));
        Driver driver = driver(server.port());

        CommandOutcome dark = driver.execute(Verb.VERB_LOCATE_ON, 0, "");
        assertThat(dark.status()).isEqualTo(ResultStatus.RESULT_STATUS_FAILED);
        assertThat(dark.message()).contains("expected Led[1]").contains("device reports Led[0]");

        estatsWith("Led", "0", "1");
        CommandOutcome lit = driver.execute(Verb.VERB_LOCATE_ON, 0, "");
        assertThat(lit.status()).as(lit.message()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(server.requests()).contains(new FakeCgminerServer.Request("ascset", "0,led,1-1"));
    }

    @Test
    void reboot_acceptsTheRestartReply_andRefusesAnErrorReply() throws Exception {
        FakeCgminerServer server = server();
        server.on("restart", r -> FakeCgminerServer.Reply.of("{\"STATUS\":\"RESTART\"}"));
        Driver driver = driver(server.port());

        CommandOutcome ok = driver.execute(Verb.VERB_REBOOT, 0, "");
        assertThat(ok.status()).as(ok.message()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);

        server.on("restart", r -> FakeCgminerServer.Reply.of("{\"STATUS\":\"E\"}"));
        CommandOutcome refused = driver.execute(Verb.VERB_REBOOT, 0, "");
        assertThat(refused.status()).isEqualTo(ResultStatus.RESULT_STATUS_FAILED);
        assertThat(refused.reason()).isEqualTo("device-error");
    }

    @Test
    void readBackOfATruncatedStatusString_isReadbackFailed() throws Exception {
        FakeCgminerServer server = server();
        String reply = capture("ascset_softoff");
        String cut = Files.readString(CASE.resolve("../truncated-status/estats.json"));
        server.on("ascset", r -> {
            estats.set(cut);
            return FakeCgminerServer.Reply.of(reply);
        });

        CommandOutcome outcome = driver(server.port()).execute(Verb.VERB_SLEEP, 0, "");

        assertThat(outcome.status()).isEqualTo(ResultStatus.RESULT_STATUS_FAILED);
        assertThat(outcome.reason()).isEqualTo("readback-failed");
        assertThat(outcome.message()).contains("FanR");
    }

    @Test
    void wake_whoseSoftOnClosesWithoutAByte_isJudgedByItsReadBack() throws Exception {
        FakeCgminerServer server = server();
        server.on("ascset", r -> new FakeCgminerServer.Drop());

        CommandOutcome outcome = driver(server.port()).execute(Verb.VERB_WAKE, 0, "");

        assertThat(outcome.status()).as(outcome.message()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(server.requests().get(0))
                .isEqualTo(new FakeCgminerServer.Request("ascset", "0,softon,1:" + NOW.getEpochSecond()));
    }

    @Test
    void sleep_whoseSoftOffClosesWithoutAByte_fails() throws Exception {
        FakeCgminerServer server = server();
        server.on("ascset", r -> new FakeCgminerServer.Drop());

        CommandOutcome outcome = driver(server.port()).execute(Verb.VERB_SLEEP, 0, "");

        assertThat(outcome.status()).isEqualTo(ResultStatus.RESULT_STATUS_FAILED);
        assertThat(outcome.reason()).isEqualTo("bad-response");
    }

    @Test
    void setPowerTarget_whoseLevelIsAlreadyInForce_sendsNothing() throws Exception {
        FakeCgminerServer server = server();

        CommandOutcome outcome = driver(server.port()).execute(Verb.VERB_SET_POWER_TARGET, 3600, "");

        assertThat(outcome.status()).as(outcome.message()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(outcome.readBack()).hasValue(3515.0);
        assertThat(server.requests()).containsExactly(new FakeCgminerServer.Request("estats", null));
    }
}
