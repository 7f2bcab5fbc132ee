package io.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.headroom.controller.command.CommandState;
import io.headroom.controller.command.CommandView;
import io.headroom.controller.store.DeviceState;
import io.headroom.controller.store.DeviceView;
import io.headroom.protocol.wire.Verb;
import io.headroom.testkit.TestPeers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Fault row 7 of the reliability matrix (clock skew): a real agent JVM whose wall clock runs 10 min
 * off, under Debian's {@code faketime} with {@code FAKETIME_DONT_FAKE_MONOTONIC=1} (so its
 * monotonic clock, which command deadlines run on, is real), against an in-JVM controller. What the
 * design promises and this shows: the controller measures and shows the agent's clock offset, keeps
 * it ONLINE (liveness is by receipt), re-stamps samples from an agent that runs ahead, and the
 * agent refuses a command it cannot place in time: {@code clock-skew} when it was issued in the
 * agent's future, {@code expired} when its ttl has passed on the agent's clock. Skipped without
 * {@code faketime} unless {@code -Dheadroom.peers=required}.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class AgentClockSkewIT {
    private static final long SKEW_MS = 600_000;
    /** How far the measured offset may be from the faked one: message latency and the agent's own estimate. */
    private static final long OFFSET_SLACK_MS = 5_000;

    @TempDir
    Path workDir;

    @ParameterizedTest(name = "agent clock {0}")
    @CsvSource({"-600s, -1, clock-skew", "+600s, 1, expired"})
    void agentTenMinutesOff_offsetFlagged_commandRefusedWithItsReason(String offset, int sign, String reason)
            throws Exception {
        Path faketime = TestPeers.require("faketime", "faketime", Path.of("/usr/bin/faketime"));
        DemoOptions options = new DemoOptions("skew", 2, 2, "127.0.0.1", 0, 0, 7L, Duration.ofSeconds(1), workDir);
        try (DemoSite site = DemoSite.start(options)) {
            // rack-2 (miner-002) moves out of process: its in-JVM agent leaves, the skewed one takes over.
            String agentId = "rack-2";
            String device = DemoSite.minerId(1);
            Path agentYaml = workDir.resolve(agentId + ".yaml");
            assertThat(agentYaml).exists();
            site.agents().get(1).close();
            Process agent = startSkewedAgent(faketime, offset, agentYaml);
            try {
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    assertThat(agent.isAlive()).as("the skewed agent runs").isTrue();
                    Long measured = site.controller().ingest().clockOffsetMillis(agentId);
                    assertThat(measured).isNotNull();
                    assertThat(measured).isBetween(sign * SKEW_MS - OFFSET_SLACK_MS, sign * SKEW_MS + OFFSET_SLACK_MS);
                    DeviceView view = site.controller().store().device(device).orElseThrow();
                    assertThat(view.status()).as("liveness is by receipt").isEqualTo(DeviceState.ONLINE);
                    assertThat(view.agent()).isEqualTo(agentId);
                    assertThat(view.agentClockOffsetMs())
                            .isBetween(sign * SKEW_MS - OFFSET_SLACK_MS, sign * SKEW_MS + OFFSET_SLACK_MS);
                });
                if (sign > 0) {
                    assertThat(site.controller()
                                    .registry()
                                    .get("headroom.ingest.samples.restamped")
                                    .tag("reason", "clock-ahead")
                                    .counter()
                                    .count())
                            .as("samples stamped 10 min ahead get the receive time")
                            .isPositive();
                }

                CommandView sent =
                        site.controller().commands().send(device, Verb.VERB_SLEEP, null, "", Duration.ofSeconds(30));

                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    CommandView now = site.controller()
                            .commands()
                            .command(sent.commandId())
                            .orElseThrow();
                    assertThat(now.state()).isEqualTo(CommandState.REJECTED);
                    assertThat(now.reason()).isEqualTo(reason);
                });
            } finally {
                // faketime forks the JVM and waits for it: stop the JVM itself, or it outlives the wrapper
                // (re-parented to init, spinning in libfaketime once the wrapper's shared memory is gone).
                List<ProcessHandle> children = agent.descendants().toList();
                children.forEach(ProcessHandle::destroy);
                agent.destroy();
                if (!agent.waitFor(10, TimeUnit.SECONDS)) {
                    agent.destroyForcibly();
                }
                for (ProcessHandle child : children) {
                    try {
                        child.onExit().get(10, TimeUnit.SECONDS);
                    } catch (java.util.concurrent.TimeoutException e) {
                        child.destroyForcibly();
                    }
                }
            }
        }
    }

    private Process startSkewedAgent(Path faketime, String offset, Path agentYaml) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                faketime.toString(),
                "-f",
                offset,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Headroom.class.getName(),
                "agent",
                "--config",
                agentYaml.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve("skewed-agent.log").toFile());
        builder.environment().put("FAKETIME_DONT_FAKE_MONOTONIC", "1");
        Process process = builder.start();
        Files.writeString(workDir.resolve("skewed-agent.cmd"), String.join(" ", command));
        return process;
    }
}
