package io.headroom.agent.driver.whatsminer;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.agent.TestDevices;
import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.DriverContext;
import io.headroom.agent.driver.PollResult;
import io.headroom.agent.rawreply.RawReply;
import io.headroom.agent.rawreply.RawReplyRecorder;
import io.headroom.protocol.wire.DeviceHealth;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Whatsminer transport keeps a poll's commands and the simulated miner's reply text, no password. */
@Timeout(30)
class WhatsminerRawReplyTest {

    private WhatsminerRig rig;

    @BeforeEach
    void start() throws Exception {
        rig = new WhatsminerRig();
    }

    @AfterEach
    void stop() {
        rig.close();
    }

    private RawReply poll(String profile, WhatsminerApi api, String credential) throws Exception {
        DriverContext context = rig.context();
        Driver driver = rig.track(TestDevices.DRIVERS.create(
                WhatsminerRig.device(profile, rig.settings(api), credential), TestDevices.PROFILES, context));
        RawReplyRecorder recorder = context.rawReplies().recorder("wm-1");
        recorder.pollStarted();
        PollResult result = driver.poll();
        recorder.pollEnded();
        assertThat(result.health()).as(result.message()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
        return recorder.last().orElseThrow();
    }

    @Test
    void v2Poll_keepsEachCommandAndItsJsonReply() throws Exception {
        RawReply raw = poll("microbt/whatsminer-v2", WhatsminerApi.V2, "v2");

        assertThat(raw.request()).contains("API v2 port " + rig.miner.v2Port() + ": summary");
        assertThat(raw.reply()).contains("\"STATUS\"").doesNotContain(WhatsminerRig.V2_PASSWORD);
    }

    @Test
    void v3Poll_keepsEachCommandAndItsJsonReply_butNoPassword() throws Exception {
        RawReply raw = poll("microbt/whatsminer-v3", WhatsminerApi.V3, "v3");

        assertThat(raw.request()).startsWith("API v3 port " + rig.miner.v3Port() + ": ");
        assertThat(raw.reply()).contains("\"code\"").doesNotContain(WhatsminerRig.V3_PASSWORD);
        assertThat(raw.request()).doesNotContain(WhatsminerRig.V3_PASSWORD);
    }
}
