package io.headroom.agent.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.agent.TestDevices;
import io.headroom.agent.config.DeviceConfig;
import io.headroom.agent.driver.CommandOutcome;
import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.PollResult;
import io.headroom.agent.publish.ControllerStateReceipt;
import io.headroom.protocol.Mode;
import io.headroom.protocol.WireCodec;
import io.headroom.protocol.wire.Command;
import io.headroom.protocol.wire.ControllerState;
import io.headroom.protocol.wire.Result;
import io.headroom.protocol.wire.ResultStatus;
import io.headroom.protocol.wire.Verb;
import io.headroom.simulator.site.SimulatedMiner;
import io.headroom.simulator.site.SimulatedSite;
import io.headroom.simulator.site.SiteSpec;
import io.headroom.testkit.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Held set-points through the real path: the controller's command through the {@link CommandExecutor},
 * the CGMiner driver with the luxor/luxos profile against the simulated LuxOS miner over loopback, a
 * power cut and restore of the simulated miner as the reboot, the driver's poll as the evidence. The
 * lease and the hold are judged on a manual clock; the device I/O is real.
 */
@Timeout(60)
class HeldSetpointsSimulatorIT {
    private static final Instant START = Instant.parse("2026-12-01T12:00:00Z");

    private final ManualClock clock = new ManualClock(START, 1_000_000_000L);
    private final AtomicReference<ControllerStateReceipt> state = new AtomicReference<>();
    private final List<Verb> reapplied = new CopyOnWriteArrayList<>();
    private final List<Result> results = new CopyOnWriteArrayList<>();
    private SimulatedSite site;
    private SimulatedMiner miner;
    private Driver driver;
    private HeldSetpoints held;
    private CommandExecutor executor;

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
                Duration.ofSeconds(3)); // generous: a loaded CI machine must not turn into a FAILED command
        driver = TestDevices.create(device, Clock.systemUTC());
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        var capabilities = TestDevices.capabilities("luxor/luxos", "sim-0");
        held = new HeldSetpoints(
                id -> Optional.ofNullable(capabilities.get(id)),
                (id, verb, value, instance, deadline) -> {
                    reapplied.add(verb);
                    return run(verb, value, instance);
                },
                new LeaseWatch(() -> Optional.ofNullable(state.get()), clock::nanoTime),
                clock,
                clock::nanoTime,
                Duration.ofSeconds(30),
                Duration.ofHours(24),
                registry);
        executor = new CommandExecutor(
                id -> Optional.ofNullable(capabilities.get(id)),
                (id, verb, value, instance, deadline) -> run(verb, value, instance),
                held,
                builder -> results.add(builder.build()),
                Duration.ofSeconds(5),
                Duration.ofSeconds(5),
                clock,
                clock::nanoTime,
                registry);
        lease(true);
    }

    @AfterEach
    void stop() {
        executor.close();
        driver.close();
        site.close();
    }

    private CompletableFuture<CommandOutcome> run(Verb verb, double value, String instance) {
        try {
            return CompletableFuture.completedFuture(driver.execute(verb, value, instance));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(e);
        }
    }

    private void lease(boolean online) {
        state.set(new ControllerStateReceipt(
                ControllerState.newBuilder()
                        .setOnline(online)
                        .setLeaseMs(60_000)
                        .setControllerId("c1")
                        .build(),
                clock.nanoTime()));
    }

    private void command(String id, Verb verb, long version, long holdUntilMs) throws Exception {
        Command.Builder command = Command.newBuilder()
                .setCommandId(id)
                .setDeviceId("sim-0")
                .setVerb(verb)
                .setIssuedAtMs(clock.millis())
                .setTtlMs(30_000)
                .setVersion(version);
        if (holdUntilMs != 0) {
            command.setHoldUntilMs(holdUntilMs);
        }
        executor.receive(WireCodec.encode(command.build()), clock.nanoTime(), null);
        executor.awaitIdle();
        assertThat(results.get(results.size() - 1).getStatus())
                .as(results.get(results.size() - 1).getMessage())
                .isEqualTo(ResultStatus.RESULT_STATUS_APPLIED);
    }

    private void reboot() {
        miner.model().cutPower();
        miner.model().restorePower(Duration.ZERO);
    }

    private void poll() throws Exception {
        PollResult result = driver.poll();
        held.polled("sim-0", result);
    }

    @Test
    void leaseValid_minerRebootsWhileHeldAsleep_agentPutsItBackToSleep() throws Exception {
        command("c1", Verb.VERB_SLEEP, 1, 0);
        assertThat(miner.model().mode()).isEqualTo(Mode.SLEEP);
        assertThat(held.count()).isEqualTo(1);

        reboot();
        assertThat(miner.model().mode()).isEqualTo(Mode.NORMAL);
        poll();

        assertThat(reapplied).containsExactly(Verb.VERB_SLEEP);
        assertThat(miner.model().mode()).isEqualTo(Mode.SLEEP);
    }

    @Test
    void leaseLapsed_heldAwake_minerAsleep_agentNeverWakesIt() throws Exception {
        command("c1", Verb.VERB_SLEEP, 1, 0);
        command("c2", Verb.VERB_WAKE, 2, clock.millis() + 3_600_000);
        lease(false);

        miner.model().sleep(); // slept by someone else while the controller is gone
        poll();
        clock.advance(Duration.ofMinutes(1));
        poll();

        assertThat(reapplied).isEmpty();
        assertThat(miner.model().mode()).isEqualTo(Mode.SLEEP);
    }

    @Test
    void leaseLapsed_sleepHeldUntilTheEventEnds_thenTheMinerIsLeftAsItIs() throws Exception {
        command("c1", Verb.VERB_SLEEP, 1, clock.millis() + 600_000);
        clock.advance(Duration.ofMinutes(2)); // controller silent past its 60 s lease

        reboot();
        poll();
        assertThat(reapplied).containsExactly(Verb.VERB_SLEEP);
        assertThat(miner.model().mode()).isEqualTo(Mode.SLEEP);

        clock.advance(Duration.ofMinutes(9)); // the event is over
        reboot();
        poll();

        assertThat(reapplied).hasSize(1);
        assertThat(miner.model().mode()).isEqualTo(Mode.NORMAL);
    }
}
