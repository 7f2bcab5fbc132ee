package io.headroom.agent.driver.nvsmi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.headroom.agent.TestDevices;
import io.headroom.agent.driver.CommandOutcome;
import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.DriverContext;
import io.headroom.agent.driver.PollResult;
import io.headroom.agent.driver.Reading;
import io.headroom.protocol.MetricDictionary;
import io.headroom.protocol.wire.DeviceHealth;
import io.headroom.protocol.wire.ResultStatus;
import io.headroom.protocol.wire.Verb;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** The nvidia-smi driver running a fake nvidia-smi: a real process, real XML, real arguments. */
@Timeout(60)
@DisabledOnOs(OS.WINDOWS)
class NvsmiDriverTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    @TempDir
    Path dir;

    private final DriverContext context = TestDevices.context(Clock.systemUTC());
    private FakeNvidiaSmi fake;
    private Driver driver;

    @BeforeEach
    void start() throws Exception {
        fake = FakeNvidiaSmi.a100(dir);
        driver = NvsmiTestDevices.driver(fake.script.toString(), TIMEOUT, context);
    }

    @AfterEach
    void stop() {
        driver.close();
        context.close();
    }

    private static Map<String, Double> values(PollResult result) {
        Map<String, Double> out = new TreeMap<>();
        for (Reading r : result.readings()) {
            out.put(MetricDictionary.displayKey(r.metric(), r.instance()), r.value());
        }
        return out;
    }

    private static String key(String metric, String instance) {
        return MetricDictionary.displayKey(metric, instance);
    }

    @Test
    void poll_runsQueryXml_andReadsTheGpu() throws Exception {
        PollResult result = driver.poll();

        assertThat(fake.calls()).containsExactly("-q -x");
        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
        assertThat(result.identity().model()).isEqualTo("NVIDIA A100-SXM4-80GB");
        assertThat(result.identity().firmware()).isEqualTo("535.54.03");
        assertThat(values(result))
                .containsEntry(key("power", "0"), 67.03)
                .containsEntry(key("power.target", "0"), 500.0)
                .containsEntry(key("temperature.chip", "0"), 27.0)
                .containsEntry(key("temperature.sensor", "0-memory"), 44.0);
    }

    @Test
    void setPowerCap_inRange_runsPl_readsBack_andIsApplied() throws Exception {
        CommandOutcome outcome = driver.execute(Verb.VERB_SET_POWER_CAP, 300, "0");

        assertThat(outcome.status()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        assertThat(outcome.readBack()).hasValue(300.0);
        assertThat(outcome.message()).startsWith("GPU 0 enforces 300 W").contains("persistence mode is off");
        assertThat(fake.calls()).containsExactly("-q -x", "-i 0 -pl 300", "-q -x");
        assertThat(values(driver.poll())).containsEntry(key("power.target", "0"), 300.0);
    }

    @Test
    void setPowerCap_outsideTheGpusOwnRange_isRefusedNamingIt_andNothingIsSent() throws Exception {
        CommandOutcome outcome = driver.execute(Verb.VERB_SET_POWER_CAP, 650, "0");

        assertThat(outcome.status()).isEqualTo(ResultStatus.RESULT_STATUS_REJECTED);
        assertThat(outcome.reason()).isEqualTo("out-of-range");
        assertThat(outcome.message()).isEqualTo("650 W is outside 100..500 W, the range nvidia-smi reports for GPU 0");
        assertThat(fake.calls()).containsExactly("-q -x");
    }

    @Test
    void setPowerCap_unknownGpu_isRefused() throws Exception {
        CommandOutcome outcome = driver.execute(Verb.VERB_SET_POWER_CAP, 300, "3");

        assertThat(outcome.status()).isEqualTo(ResultStatus.RESULT_STATUS_REJECTED);
        assertThat(outcome.reason()).isEqualTo("unknown-instance");
        assertThat(outcome.message()).isEqualTo("no GPU 3 on this host; nvidia-smi lists 0..0");
    }

    @Test
    void setPowerCap_withoutRoot_failsWithNvidiaSmisWords() throws Exception {
        fake.mode("permission");

        CommandOutcome outcome = driver.execute(Verb.VERB_SET_POWER_CAP, 300, "0");

        assertThat(outcome.status()).isEqualTo(ResultStatus.RESULT_STATUS_FAILED);
        assertThat(outcome.reason()).isEqualTo("permission-denied");
        assertThat(outcome.message())
                .isEqualTo("nvidia-smi -i 0 -pl 300 failed (exit 4): Insufficient Permissions; "
                        + "Terminating early due to previous errors.");
    }

    @Test
    void setPowerCap_acceptedButNotTaken_failsOnTheReadBack_withNvidiaSmisWords() throws Exception {
        fake.mode("ignored");

        CommandOutcome outcome = driver.execute(Verb.VERB_SET_POWER_CAP, 300, "0");

        assertThat(outcome.status()).isEqualTo(ResultStatus.RESULT_STATUS_FAILED);
        assertThat(outcome.reason()).isEqualTo("readback-mismatch");
        assertThat(outcome.readBack()).hasValue(500.0);
        assertThat(outcome.message())
                .startsWith("asked 300 W, GPU 0 enforces 500 W; nvidia-smi said: Changing power management limit is"
                        + " not supported in current scope");
    }

    @Test
    void enforcedLimitReverts_theLastCapIsSentAgain_once() throws Exception {
        assertThat(driver.execute(Verb.VERB_SET_POWER_CAP, 300, "0").status())
                .isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        fake.limit("500.00"); // the driver reloaded: NVML's default limit is back

        PollResult reverted = driver.poll();

        assertThat(reverted.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
        assertThat(fake.limit()).isEqualTo("300");
        assertThat(context.meters()
                        .get("headroom.driver.nvsmi.cap.reapplied")
                        .counter()
                        .count())
                .isEqualTo(1.0);

        PollResult after = driver.poll();

        assertThat(values(after)).containsEntry(key("power.target", "0"), 300.0);
        assertThat(fake.calls()).filteredOn(c -> c.contains("-pl")).containsExactly("-i 0 -pl 300", "-i 0 -pl 300");
    }

    @Test
    void enforcedLimitReverts_andReapplyIsRefused_isDegradedWithNvidiaSmisWords() throws Exception {
        driver.execute(Verb.VERB_SET_POWER_CAP, 300, "0");
        fake.limit("500.00");
        fake.mode("permission");

        PollResult result = driver.poll();

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_DEGRADED);
        assertThat(result.reason()).isEqualTo("power-cap-reapply-failed");
        assertThat(result.message())
                .startsWith("GPU 0 reverted to 500 W; re-applying 300 W failed (exit 4): Insufficient Permissions");
        assertThat(values(result)).containsEntry(key("power.target", "0"), 500.0);
    }

    @Test
    void poll_hangingNvidiaSmi_isOfflineTimeout_andTheProcessIsKilled() throws Exception {
        fake.mode("hang");

        PollResult result = driver.poll();

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_OFFLINE);
        assertThat(result.reason()).isEqualTo("timeout");
        assertThat(result.message()).contains("no exit within 3000 ms; killed");
        OptionalLong pid = fake.pid();
        assertThat(pid).isPresent();
        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        ProcessHandle.of(pid.getAsLong()).map(p -> !p.isAlive()).orElse(true));
    }

    @Test
    void poll_noKernelDriver_isOfflineWithNvidiaSmisWords() throws Exception {
        fake.mode("nodriver");

        PollResult result = driver.poll();

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_OFFLINE);
        assertThat(result.reason()).isEqualTo("connection-refused");
        assertThat(result.message()).contains("exited with 9: NVIDIA-SMI has failed because it couldn't communicate");
    }

    @Test
    void poll_missingExecutable_isOfflineNamingIt() throws Exception {
        Driver missing =
                NvsmiTestDevices.driver(dir.resolve("no-such-nvidia-smi").toString(), TIMEOUT, context);

        PollResult result = missing.poll();

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_OFFLINE);
        assertThat(result.reason()).isEqualTo("connection-refused");
        assertThat(result.message()).startsWith("cannot run " + dir.resolve("no-such-nvidia-smi"));
        missing.close();
    }

    @Test
    void poll_truncatedXml_isDegradedBadResponse() throws Exception {
        fake.mode("garbage");

        PollResult result = driver.poll();

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_DEGRADED);
        assertThat(result.reason()).isEqualTo("bad-response");
        assertThat(result.message()).contains("not well-formed XML");
    }

    @Test
    void poll_oversizeOutput_isDegradedOversize() throws Exception {
        fake.mode("oversize");

        PollResult result = driver.poll();

        assertThat(result.reason()).isEqualTo("oversize-response");
        assertThat(result.message()).contains("printed more than " + NvsmiProcess.MAX_OUTPUT_BYTES + " bytes");
    }

    @Test
    void execute_otherVerbs_areRejected() throws Exception {
        CommandOutcome outcome = driver.execute(Verb.VERB_SET_POWER_TARGET, 300, "");

        assertThat(outcome.status()).isEqualTo(ResultStatus.RESULT_STATUS_REJECTED);
        assertThat(outcome.reason()).isEqualTo("unsupported");
        assertThat(fake.calls()).isEmpty();
    }

    @Test
    void poll_externalEntity_isRefused_neverRead(@TempDir Path other) throws Exception {
        Path secret = other.resolve("secret.txt");
        java.nio.file.Files.writeString(secret, "TOP-SECRET");
        String xxe = "<?xml version=\"1.0\"?>\n<!DOCTYPE nvidia_smi_log [<!ENTITY x SYSTEM \"" + secret.toUri()
                + "\">]>\n<nvidia_smi_log><driver_version>&x;</driver_version><gpu><product_name>&x;</product_name>"
                + "</gpu></nvidia_smi_log>\n";
        FakeNvidiaSmi evil = FakeNvidiaSmi.create(other, xxe);
        Driver reader = NvsmiTestDevices.driver(evil.script.toString(), TIMEOUT, context);

        PollResult result = reader.poll();

        assertThat(result.reason()).isEqualTo("bad-response");
        assertThat(result.message()).doesNotContain("TOP-SECRET").contains("declares XML entities");
        reader.close();
    }

    @Test
    void parse_externalDtdOfTheRealDoctype_isNotFetched() throws Exception {
        String fixture = FakeNvidiaSmi.a100()
                .replace("SYSTEM \"nvsmi_device_v12.dtd\"", "SYSTEM \"http://127.0.0.1:9/nvsmi_device_v12.dtd\"");

        NvsmiLog log = NvsmiXml.parse(fixture.getBytes(java.nio.charset.StandardCharsets.UTF_8));

        assertThat(log.gpus()).hasSize(1);
    }

    @Test
    void values_asNvidiaSmiPrintsThem() {
        assertThat(NvsmiXml.value("67.03 W", "W").number()).isEqualTo(67.03);
        assertThat(NvsmiXml.value("27 C", "C").number()).isEqualTo(27.0);
        assertThat(NvsmiXml.value("0 %", "%").number()).isEqualTo(0.0);
        for (String absent : List.of(
                "N/A",
                "[N/A]",
                "[Not Supported]",
                "Not Supported",
                "Requested functionality has been deprecated",
                "")) {
            assertThat(NvsmiXml.value(absent, "W").kind()).as(absent).isEqualTo(NvsmiXml.Kind.ABSENT);
        }
        for (String error : List.of("[Unknown Error]", "[GPU is lost]", "67 F", "67", "Enabled", "1e3 W")) {
            assertThat(NvsmiXml.value(error, "W").kind()).as(error).isEqualTo(NvsmiXml.Kind.ERROR);
        }
    }
}
