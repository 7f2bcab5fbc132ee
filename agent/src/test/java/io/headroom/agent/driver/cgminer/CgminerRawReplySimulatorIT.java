package io.headroom.agent.driver.cgminer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headroom.agent.TestDevices;
import io.headroom.agent.config.DeviceConfig;
import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.DriverContext;
import io.headroom.agent.driver.PollResult;
import io.headroom.agent.rawreply.RawReply;
import io.headroom.agent.rawreply.RawReplyRecorder;
import io.headroom.protocol.wire.DeviceHealth;
import io.headroom.protocol.wire.ResultStatus;
import io.headroom.protocol.wire.Verb;
import io.headroom.simulator.site.SimulatedMiner;
import io.headroom.simulator.site.SimulatedSite;
import io.headroom.simulator.site.SiteSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The CGMiner RPC client keeps the raw replies of a poll: against the project's simulated LuxOS
 * miner over loopback TCP, every command the poll sent and the miner's reply text as it came.
 */
@Timeout(60)
class CgminerRawReplySimulatorIT {

    private final ObjectMapper mapper = new ObjectMapper();
    private SimulatedSite site;
    private SimulatedMiner miner;
    private DriverContext context;
    private Driver driver;
    private RawReplyRecorder recorder;

    @BeforeEach
    void start() throws Exception {
        site = SimulatedSite.start(SiteSpec.of(1, 7L), Clock.systemUTC());
        miner = site.miner(0);
        DeviceConfig device = TestDevices.cgminer(
                "sim-0",
                "luxor/luxos",
                miner.address().getHostString(),
                miner.port(),
                Duration.ofSeconds(5),
                Duration.ofSeconds(3));
        context = TestDevices.context(Clock.systemUTC());
        driver = TestDevices.create(device, context);
        recorder = context.rawReplies().recorder("sim-0");
    }

    @AfterEach
    void stop() {
        driver.close();
        site.close();
        context.close();
    }

    private PollResult poll() throws InterruptedException {
        recorder.pollStarted();
        try {
            return driver.poll();
        } finally {
            recorder.pollEnded();
        }
    }

    @Test
    void poll_keepsEveryCommandAndTheMinersReplyText() throws Exception {
        long before = System.currentTimeMillis();
        assertThat(recorder.last()).isEmpty();

        PollResult result = poll();

        assertThat(result.health()).as(result.message()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
        RawReply raw = recorder.last().orElseThrow();
        List<String> asked = List.of(raw.request().split("\n"));
        assertThat(asked).contains("summary", "version");
        assertThat(raw.truncated()).isFalse();
        assertThat(raw.readAtMs()).isBetween(before, System.currentTimeMillis());
        // Each reply under its command, as the miner wrote it: the JSON of a real CGMiner reply.
        for (String command : asked) {
            String section = raw.reply()
                    .split("### " + command + "\n", 2)[1]
                    .split("\n\n### ", 2)[0]
                    .strip();
            JsonNode reply = mapper.readTree(section);
            assertThat(reply.path("STATUS").get(0).path("STATUS").asText()).isEqualTo("S");
        }
        assertThat(raw.reply()).contains("\"SUMMARY\"", "LUXminer");
    }

    @Test
    void aCommandBetweenPolls_isNotKept_theLastPollStays() throws Exception {
        poll();
        RawReply first = recorder.last().orElseThrow();

        assertThat(driver.execute(Verb.VERB_SLEEP, 0).status()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);

        assertThat(recorder.last()).containsSame(first);
        assertThat(first.request()).doesNotContain("curtail", "logon");
    }

    @Test
    void aMinerThatIsGone_leavesWhyInPlaceOfTheReply() throws Exception {
        site.close();

        poll();

        RawReply raw = recorder.last().orElseThrow();
        assertThat(raw.reply()).startsWith("(no reply: ").contains("cannot connect");
    }
}
