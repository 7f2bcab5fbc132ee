package io.headroom.agent.driver.nvsmi;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.agent.TestDevices;
import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.DriverContext;
import io.headroom.agent.driver.PollResult;
import io.headroom.agent.rawreply.RawReply;
import io.headroom.agent.rawreply.RawReplyRecorder;
import io.headroom.protocol.wire.DeviceHealth;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The nvidia-smi driver keeps each poll's command line and what the (fake, real-process) nvidia-smi printed. */
class NvsmiRawReplyTest {

    @TempDir
    Path dir;

    private final DriverContext context = TestDevices.context(Clock.systemUTC());
    private Driver driver;

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.close();
        }
        context.close();
    }

    @Test
    void poll_keepsTheCommandLine_itsExitCode_andTheXmlItPrinted() throws Exception {
        FakeNvidiaSmi fake = FakeNvidiaSmi.a100(dir);
        driver = NvsmiTestDevices.driver(fake.script.toString(), Duration.ofSeconds(3), context);
        RawReplyRecorder recorder = context.rawReplies().recorder("gpuhost");

        recorder.pollStarted();
        PollResult result = driver.poll();
        recorder.pollEnded();

        assertThat(result.health()).as(result.message()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
        RawReply raw = recorder.last().orElseThrow();
        assertThat(raw.request()).isEqualTo(fake.script + " -q -x");
        assertThat(raw.reply()).startsWith("exit 0\n<?xml").contains("NVIDIA A100-SXM4-80GB");
        String fixture = Files.readString(dir.resolve("fixture.xml"), StandardCharsets.UTF_8);
        assertThat(raw.reply().length()).isBetween(fixture.length() - 40, fixture.length() + 40);
    }
}
