package io.headroom.agent.driver.braiins;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.agent.TestDevices;
import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.DriverContext;
import io.headroom.agent.driver.PollResult;
import io.headroom.agent.rawreply.RawReply;
import io.headroom.agent.rawreply.RawReplyRecorder;
import io.headroom.protocol.wire.DeviceHealth;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The shared HTTP transport keeps a poll's raw replies: against the simulated Braiins OS REST API
 * with token login, each method and path and the miner's answer, with neither the password (the login
 * body is never kept) nor the token it answered (redacted) nor the Authorization header.
 */
@Timeout(30)
class BraiinsRawReplyTest {

    private final BraiinsRig rig;

    BraiinsRawReplyTest() throws Exception {
        rig = new BraiinsRig();
    }

    @AfterEach
    void close() {
        rig.close();
    }

    @Test
    void poll_keepsEveryPathAndAnswer_butNoCredential() throws Exception {
        rig.advance(Duration.ofMinutes(5));
        DriverContext context = rig.context();
        Driver driver = rig.track(TestDevices.DRIVERS.create(
                BraiinsRig.device(rig.miner.port(), "web", BraiinsRig.TIMEOUT), TestDevices.PROFILES, context));
        RawReplyRecorder recorder = context.rawReplies().recorder("bos-1");

        recorder.pollStarted();
        PollResult result = driver.poll();
        recorder.pollEnded();

        assertThat(result.health()).as(result.message()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
        RawReply raw = recorder.last().orElseThrow();
        List<String> asked = List.of(raw.request().split("\n"));
        assertThat(asked).first().isEqualTo("POST /api/v1/auth/login");
        assertThat(asked).anySatisfy(request -> assertThat(request).startsWith("GET /api/v1/"));
        assertThat(raw.reply())
                .contains("### POST /api/v1/auth/login\nHTTP 200\n{\"token\":\"«redacted»\",\"timeout_s\":3600}\n")
                .doesNotContain(BraiinsRig.PASSWORD)
                .doesNotContainIgnoringCase("authorization")
                .contains("HTTP 200\n{");
        assertThat(raw.request()).doesNotContain(BraiinsRig.PASSWORD);
        assertThat(raw.readAtMs()).isEqualTo(rig.clock.millis());
    }
}
