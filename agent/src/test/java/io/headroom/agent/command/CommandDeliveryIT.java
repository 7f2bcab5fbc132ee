package io.headroom.agent.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.headroom.agent.Agent;
import io.headroom.agent.publish.FakeController;
import io.headroom.agent.publish.MosquittoBroker;
import io.headroom.protocol.Mode;
import io.headroom.protocol.wire.Command;
import io.headroom.protocol.wire.ControllerState;
import io.headroom.protocol.wire.Result;
import io.headroom.protocol.wire.ResultStatus;
import io.headroom.protocol.wire.Verb;
import io.headroom.simulator.site.SimulatedSite;
import io.headroom.simulator.site.SiteSpec;
import io.headroom.testkit.CuttableTcpProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault row 8 of RELIABILITY.md §7 (duplicate and out-of-order commands) through the real path: a
 * controller's commands over a real broker (mosquitto) to a running agent, the CGMiner driver, and
 * the simulated LuxOS miner behind a TCP proxy that records every request the miner receives. The
 * guarantee is asserted on that record, the device's own view: one write per command id, none for
 * an older version or an expired command, whatever the broker delivers twice or late.
 */
@Timeout(120)
class CommandDeliveryIT {

    private static final String SLEEP_REQUEST = "\"curtail\"";

    @TempDir
    Path dir;

    private MosquittoBroker broker;
    private SimulatedSite site;
    private CuttableTcpProxy miner;
    private FakeController controller;
    private Agent agent;

    @BeforeEach
    void start() throws Exception {
        broker = MosquittoBroker.start(dir);
        site = SimulatedSite.start(SiteSpec.of(1, 11L), Clock.systemUTC());
        site.startTicking(Duration.ofMillis(100));
        miner = new CuttableTcpProxy(site.miner(0).address());
        controller = new FakeController(broker.url(), "s1");
        controller.state(ControllerState.newBuilder()
                .setOnline(true)
                .setLeaseMs(60_000)
                .setControllerId("c1")
                .build());
        agent = Agent.start(config());
        await().atMost(Duration.ofSeconds(30))
                .until(() -> agent.connected() && !controller.births().isEmpty());
    }

    @AfterEach
    void stop() throws Exception {
        if (agent != null) {
            agent.close();
        }
        if (controller != null) {
            controller.close();
        }
        if (miner != null) {
            miner.close();
        }
        if (site != null) {
            site.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private Path config() throws Exception {
        Files.writeString(dir.resolve("rack-1.password"), "s3cret\n");
        Path yaml = dir.resolve("agent.yaml");
        Files.writeString(
                yaml,
                String.join(
                        "\n",
                        "agent-id: rack-1",
                        "site: s1",
                        "mqtt:",
                        "  url: " + broker.url(),
                        "  password: {file: " + dir.resolve("rack-1.password") + "}",
                        "  reconnect-max: 1s",
                        "publish:",
                        "  batch-interval: 200ms",
                        "metrics:",
                        "  port: 0",
                        "devices:",
                        "  - id: miner-1",
                        "    profile: luxor/luxos",
                        "    cgminer:",
                        "      host: 127.0.0.1",
                        "      port: " + miner.port(),
                        "    poll-interval: 2s",
                        "    timeout: 2s",
                        ""));
        return yaml;
    }

    private static Command command(String id, Verb verb, long version, long issuedAtMs) {
        return Command.newBuilder()
                .setCommandId(id)
                .setDeviceId("miner-1")
                .setVerb(verb)
                .setIssuedAtMs(issuedAtMs)
                .setTtlMs(30_000)
                .setVersion(version)
                .build();
    }

    private List<Result> resultsOf(String commandId) {
        return controller.results().stream()
                .filter(r -> r.getCommandId().equals(commandId))
                .toList();
    }

    private Optional<Result> finalResult(String commandId) {
        return resultsOf(commandId).stream()
                .filter(r -> r.getStatus() != ResultStatus.RESULT_STATUS_ACCEPTED)
                .reduce((first, second) -> second);
    }

    private long writes(String action) {
        return miner.requests().stream()
                .filter(r -> r.contains(SLEEP_REQUEST) && r.contains("," + action + "\""))
                .count();
    }

    @Test
    void theSameCommandDeliveredTwice_writesTheDeviceOnce_andAnswersTwiceAlike() throws Exception {
        Command sleep = command("c-sleep", Verb.VERB_SLEEP, 1, System.currentTimeMillis());

        controller.command("rack-1", sleep, 30L);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> finalResult("c-sleep").isPresent());
        // A QoS 1 redelivery or a controller's retry of the same command: the very same bytes again.
        controller.command("rack-1", sleep, 30L);

        await().atMost(Duration.ofSeconds(30))
                .until(() -> resultsOf("c-sleep").stream()
                                .filter(r -> r.getStatus() == ResultStatus.RESULT_STATUS_APPLIED)
                                .count()
                        == 2);
        assertThat(writes("sleep"))
                .as("curtail sleep requests the miner received")
                .isEqualTo(1);
        assertThat(site.miner(0).snapshot().mode()).isEqualTo(Mode.SLEEP);
    }

    @Test
    void anOlderVersionArrivingAfterANewerOne_isRejected_andNeverReachesTheDevice() throws Exception {
        long now = System.currentTimeMillis();
        Command newer = command("c-v2-sleep", Verb.VERB_SLEEP, 2, now);
        Command older = command("c-v1-wake", Verb.VERB_WAKE, 1, now - 1_000);

        // Reordered in transit: version 2 first, the version 1 it superseded after it.
        controller.command("rack-1", newer, 30L);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> finalResult("c-v2-sleep").isPresent());
        controller.command("rack-1", older, 30L);

        await().atMost(Duration.ofSeconds(30))
                .until(() -> finalResult("c-v1-wake").isPresent());
        assertThat(finalResult("c-v2-sleep").orElseThrow().getStatus()).isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
        Result stale = finalResult("c-v1-wake").orElseThrow();
        assertThat(stale.getStatus()).isEqualTo(ResultStatus.RESULT_STATUS_REJECTED);
        assertThat(stale.getReason()).isEqualTo("stale-version");
        assertThat(writes("wakeup"))
                .as("curtail wakeup requests the miner received")
                .isZero();
        assertThat(site.miner(0).snapshot().mode()).isEqualTo(Mode.SLEEP);
    }

    @Test
    void aCapturedCommandReplayedAfterItsTtl_isRejectedAsExpired_withoutAWrite() throws Exception {
        // Issued 60 s ago with a 30 s TTL: what a replay of a captured command looks like on arrival.
        Command late = command("c-late", Verb.VERB_SLEEP, 1, System.currentTimeMillis() - 60_000);

        controller.command("rack-1", late, null);

        await().atMost(Duration.ofSeconds(30)).until(() -> finalResult("c-late").isPresent());
        Result result = finalResult("c-late").orElseThrow();
        assertThat(result.getStatus()).isEqualTo(ResultStatus.RESULT_STATUS_REJECTED);
        assertThat(result.getReason()).isEqualTo("expired");
        assertThat(writes("sleep")).isZero();
        assertThat(site.miner(0).snapshot().mode()).isNotEqualTo(Mode.SLEEP);
    }
}
