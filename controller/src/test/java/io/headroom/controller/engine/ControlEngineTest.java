package io.headroom.controller.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.controller.store.DeviceState;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The engine's rules one at a time, on a hand-set seven-device site (see {@link EngineFixture}). */
class ControlEngineTest {

    private static final EngineSettings SETTINGS = EngineSettings.defaults();

    @Test
    void nothingIsDoneWhileEveryLimitHasRoom() throws Exception {
        EngineFixture site = new EngineFixture(EngineFixture.yaml(100, 100), SETTINGS);
        site.run(120, null);
        assertThat(site.sent).isEmpty();
    }

    @Test
    void aBreakerShedsTheLeastEfficientOfItsOwnDevicesWithTheSoftestActionThatCoversIt() throws Exception {
        // c1 draws 15 kW; at 14 kW less 3 % it must shed 1.42 kW: m3 (40 J/TH) capped to 1580 W would do,
        // but its floor is 2000 W, so m3 sleeps.
        EngineFixture site = new EngineFixture(EngineFixture.yaml(14, 100), SETTINGS);
        TickResult tick = site.tick(null);
        assertThat(tick.actions()).singleElement().satisfies(a -> {
            assertThat(a.deviceId()).isEqualTo("m3");
            assertThat(a.kind()).isEqualTo(ActionKind.SLEEP);
            assertThat(a.constraint().nodeId()).isEqualTo("c1");
            assertThat(a.constraint().kind()).isEqualTo(ConstraintKind.BREAKER);
        });
        // A smaller excess is covered by a lower power target on the least efficient miner.
        EngineFixture small = new EngineFixture(EngineFixture.yaml(15, 100), SETTINGS);
        assertThat(small.tick(null).actions()).singleElement().satisfies(a -> {
            assertThat(a.deviceId()).isEqualTo("m3");
            // 15 kW against a 14.55 kW shed line: 0.45 kW less, rounded down to the 10 W step above the floor.
            assertThat(a.kind()).isEqualTo(ActionKind.SET_POWER_TARGET);
            assertThat(a.valueW()).isEqualTo(2540.0);
        });
    }

    @Test
    void aCommandInFlightCountsAtItsExpectedPowerSoNothingIsShedTwice() throws Exception {
        EngineFixture site = new EngineFixture(EngineFixture.yaml(14, 100), SETTINGS);
        site.tick(null);
        site.run(30, null); // no result, the device still reads 3 kW
        assertThat(site.sent).hasSize(1);
    }

    @Test
    void aHardLimitCurtailsMustRunDevicesOnlyAfterEveryInterruptibleOne() throws Exception {
        // c1 at 8 kW: sleeping m1..m3 leaves 6.45 kW (GPU 6 + 3 × 0.15) over 7.76: no; at 6 kW it must cap the GPU.
        EngineFixture site = new EngineFixture(EngineFixture.yaml(6, 100), SETTINGS);
        TickResult tick = site.tick(null);
        List<String> order = tick.actions().stream().map(Action::deviceId).toList();
        assertThat(order).containsExactly("m3", "m2", "m1", "g1");
        assertThat(tick.actions().get(3).verb()).isEqualTo(io.headroom.protocol.wire.Verb.VERB_SET_POWER_CAP);
    }

    @Test
    void aGridEventNeverTouchesMustRunNeverTouchOrMaintenanceDevices() throws Exception {
        EngineFixture site = new EngineFixture(EngineFixture.yaml(100, 100), SETTINGS);
        // Site draws 24 kW; a target of 5 kW cannot be met by interruptible devices alone.
        TickResult tick = site.tick(new SiteTarget("e1", 5, 5, EngineFixture.T0.plusSeconds(60)));
        assertThat(tick.actions()).extracting(Action::deviceId).containsExactlyInAnyOrder("m1", "m2", "m3", "m4");
        assertThat(tick.actions()).allMatch(a -> "e1".equals(a.eventId()));
        assertThat(tick.actions()).allMatch(a -> a.constraint().kind() == ConstraintKind.GRID_EVENT);
        // Least efficient first.
        assertThat(tick.actions()).extracting(Action::deviceId).containsExactly("m3", "m2", "m4", "m1");
    }

    @Test
    void aConfirmedCurtailmentThatClimbsBackDriftsAndAHardLimitShedsTheNextDeviceAtOnce() throws Exception {
        EngineFixture site = new EngineFixture(EngineFixture.yaml(14, 100), SETTINGS);
        Action first = site.tick(null).actions().get(0);
        site.apply(first);
        site.tick(null);
        assertThat(site.state.control("m3").intent()).isEqualTo(IntentState.CONFIRMED);
        // m3 reboots and mines again: drifted; the breaker is over now, so the next least efficient sleeps
        // at once instead of waiting for m3's retry.
        site.watts.put("m3", 3000.0);
        TickResult tick = site.tick(null);
        assertThat(site.state.control("m3").intent()).isEqualTo(IntentState.DRIFTED);
        assertThat(tick.actions()).extracting(Action::deviceId).containsExactly("m2");
    }

    @Test
    void failingCommandsAreRetriedWithBackoffWithinTheRateLimitThenTheDeviceIsUnresponsive() throws Exception {
        // c1 at 6 kW needs every device of the circuit; every command fails.
        EngineFixture site = new EngineFixture(EngineFixture.yaml(6, 100), SETTINGS);
        for (int i = 0; i < 900; i++) {
            site.tick(null);
            for (String id : List.of("m1", "m2", "m3", "g1")) {
                DeviceControl control = site.state.control(id);
                if (control.intent() == IntentState.DISPATCHED) {
                    site.state.commandResult(control.commandId(), EngineState.CommandOutcome.FAILED, "device-error");
                }
            }
        }
        for (String id : List.of("m1", "m2", "m3", "g1")) {
            assertThat(site.state.control(id).unresponsive()).as(id).isTrue();
            assertThat(site.actionsFor(id)).as(id).hasSize(1 + SETTINGS.maxRetries());
            assertRateLimited(site, id);
        }
        assertThat(site.sent).noneMatch(a -> a.kind() == ActionKind.OUTLET_OFF);
        assertThat(site.actionsFor("m4")).isEmpty();
    }

    @Test
    void minersThatRefuseEveryPowerTargetAreSleptAtTheNextTick_andTheMustRunLoadIsNeverTouched() throws Exception {
        // A Vnish miner takes only its autotune presets: any other wattage is FAILED not-a-preset and nothing is
        // sent (D42). The engine asks for watts in the capability's range and does not know the presets, so a
        // refused target must lead to sleep at once: before D68 the shed passed to m2, m1 and then capped the
        // ai-contract GPU server g1 while the miners waited out their backoff, for 20 s.
        EngineFixture site = new EngineFixture(EngineFixture.yaml(15, 100), SETTINGS);
        java.time.Instant underAt = null;
        for (int i = 0; i < 60 && underAt == null; i++) {
            tickAnswering(
                    site,
                    action -> action.kind() == ActionKind.SET_POWER_TARGET,
                    EngineState.CommandOutcome.FAILED,
                    "not-a-preset");
            if (c1Kw(site) <= 15 * 0.97) {
                underAt = site.now;
            }
        }

        assertThat(underAt).as("c1 under its shed line; sent %s", site.sent).isNotNull();
        assertThat(Duration.between(EngineFixture.T0, underAt)).isLessThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(site.actionsFor("m3"))
                .extracting(Action::kind)
                .containsExactly(ActionKind.SET_POWER_TARGET, ActionKind.SLEEP);
        Action sleep = site.actionsFor("m3").get(1);
        assertThat(sleep.reason()).contains("power target of 2540 W refused (not-a-preset), put to sleep");
        assertThat(sleep.constraint().nodeId()).isEqualTo("c1");
        assertThat(site.actionsFor("g1")).isEmpty();
        assertThat(site.sentAt("m3"))
                .as("the sleep at the tick after the refusal: one step further, not a flip (D68)")
                .containsExactly(EngineFixture.T0.plusSeconds(1), EngineFixture.T0.plusSeconds(2));
        // Nothing more: c1 has room, and no one else was touched.
        site.run(60, null);
        assertThat(site.sent).extracting(Action::deviceId).containsExactly("m3", "m3");
    }

    @Test
    void aPowerTargetThatExpiredUnansweredIsLeftToItsRetry_notTurnedIntoSleep() throws Exception {
        // No answer is no refusal: the agent may be cut off, so the device may never have seen the target, and a
        // sleep would go the same way. The retry with backoff stays (D68 is for targets refused by an answer).
        EngineFixture site = new EngineFixture(EngineFixture.yaml(15, 100), SETTINGS);
        for (int i = 0; i < 60; i++) {
            tickAnswering(
                    site, action -> action.deviceId().equals("m3"), EngineState.CommandOutcome.EXPIRED, "expired");
        }
        // m3 is left to its retry; the next miner took the shed meanwhile, as before D68.
        assertThat(site.actionsFor("m3")).extracting(Action::kind).containsExactly(ActionKind.SET_POWER_TARGET);
        assertThat(site.actionsFor("m2")).extracting(Action::kind).containsExactly(ActionKind.SET_POWER_TARGET);
        assertThat(site.actionsFor("g1")).isEmpty();
    }

    @Test
    void aPowerTargetThatFailsOnADeviceThatCannotSleepIsRetriedWithBackoff() throws Exception {
        // Where sleep is no option (the GPU server, must-run, here under a hard limit), a failed target keeps
        // the retry with backoff it had.
        EngineFixture site = new EngineFixture(EngineFixture.yaml(6, 100), SETTINGS);
        for (int i = 0; i < 120; i++) {
            tickAnswering(
                    site, action -> action.deviceId().equals("g1"), EngineState.CommandOutcome.FAILED, "not-a-preset");
        }
        assertThat(site.actionsFor("g1")).hasSize(1 + SETTINGS.maxRetries());
        assertThat(site.actionsFor("g1")).allMatch(a -> a.kind() == ActionKind.SET_POWER_TARGET);
        assertRateLimited(site, "g1");
    }

    @Test
    void aMustRunMinerWhoseCapFailsIsNotSleptAtOnce_itsRetryWaitsTheCommandInterval() throws Exception {
        // D68 sleeps an interruptible miner at the tick after a refused target; AI load keeps the retry with
        // backoff, even when it could sleep: here m1 is ai-contract, and c1 at 9.4 kW, once m2 and m3 sleep, still
        // needs 0.18 kW, which a cap of m1 (or g1) covers.
        EngineFixture site = new EngineFixture(
                EngineFixture.yaml(9.4, 100)
                        .replace("{id: m1, agent: a1, class: hashing}", "{id: m1, agent: a1, class: ai-contract}"),
                SETTINGS);
        for (int i = 0; i < 120; i++) {
            tickAnswering(
                    site,
                    action -> List.of("m1", "g1").contains(action.deviceId())
                            && action.kind() == ActionKind.SET_POWER_TARGET,
                    EngineState.CommandOutcome.FAILED,
                    "not-a-preset");
        }
        assertThat(site.actionsFor("m1")).first().extracting(Action::kind).isEqualTo(ActionKind.SET_POWER_TARGET);
        assertThat(site.actionsFor("m1")).hasSizeGreaterThan(1);
        assertRateLimited(site, "m1");
    }

    /**
     * One tick, then the agent's answers: {@code outcome} for the actions {@code refused} picks, the others
     * applied (the device draws what the engine expected).
     */
    private static void tickAnswering(
            EngineFixture site,
            java.util.function.Predicate<Action> refused,
            EngineState.CommandOutcome outcome,
            String reason) {
        for (Action action : site.tick(null).actions()) {
            if (refused.test(action)) {
                site.state.commandResult(site.commandOf(action), outcome, reason);
            } else {
                site.apply(action);
            }
        }
    }

    private static double c1Kw(EngineFixture site) {
        return java.util.stream.Stream.of("m1", "m2", "m3", "g1")
                        .mapToDouble(site.watts::get)
                        .sum()
                / 1000;
    }

    @Test
    void aHotZoneLosesBudgetAndShedsItsHottestDevicesFirst() throws Exception {
        // Zone z1 (rack r1: 15 kW) rejects 20 kW at 25 °C, half that at 35 °C: at 30 °C 15 kW, over 15 × 0.97.
        EngineFixture site = new EngineFixture(EngineFixture.yaml(100, 20), SETTINGS);
        site.run(5, null);
        assertThat(site.sent).isEmpty();
        site.inletC.put("m1", 30.0);
        site.chipC.put("m1", 85.0);
        TickResult tick = site.tick(null);
        assertThat(tick.actions()).singleElement().satisfies(a -> {
            assertThat(a.deviceId()).isEqualTo("m1");
            assertThat(a.constraint().kind()).isEqualTo(ConstraintKind.THERMAL);
            assertThat(a.constraint().limitKw()).isEqualTo(15.0);
        });
    }

    @Test
    void restoreWaitsForTheEventToEndThenTheDwellAndCooldownAndGoesMostEfficientFirst() throws Exception {
        EngineFixture site = new EngineFixture(EngineFixture.yaml(100, 100), SETTINGS);
        SiteTarget event = new SiteTarget("e1", 14, 14, EngineFixture.T0.plusSeconds(60));
        for (Action action : site.tick(event).actions()) {
            site.apply(action);
        }
        List<Action> shed = List.copyOf(site.sent);
        assertThat(shed).isNotEmpty();
        site.run(600, event);
        assertThat(site.sent)
                .as("nothing restored while the event holds the site")
                .hasSameSizeAs(shed);
        // The event ends: nothing before the dwell (30 s), everything after, most efficient first, two per circuit.
        site.run((int) SETTINGS.restoreDwell().toSeconds() - 1, null);
        assertThat(site.sent).hasSameSizeAs(shed);
        site.run(2, null);
        List<Action> restores = site.sent.subList(shed.size(), site.sent.size());
        assertThat(restores).isNotEmpty().allMatch(a -> a.kind() == ActionKind.WAKE);
        assertThat(restores.stream().map(Action::deviceId).toList())
                .isSortedAccordingTo((a, b) -> Double.compare(site.jth.get(a), site.jth.get(b)));
        assertThat(restores).hasSizeLessThanOrEqualTo(2 * 2);
    }

    @Test
    void aStaleDeviceIsNeverCommandedSoftlyForeverAndTheEngineShedsAnotherInstead() throws Exception {
        EngineFixture site = new EngineFixture(EngineFixture.yaml(14, 100), SETTINGS);
        site.status.put("m3", DeviceState.STALE);
        Action first = site.tick(null).actions().get(0);
        assertThat(first.deviceId()).isEqualTo("m3");
        site.state.refused(first, "device-unavailable");
        site.tick(null);
        // m3's command failed: while it waits for its retry, the next least efficient device is shed.
        assertThat(site.sent).extracting(Action::deviceId).containsExactly("m3", "m2");
    }

    @Test
    void theStateMovesToANewSiteModelWithItsCurtailments() throws Exception {
        EngineFixture site = new EngineFixture(EngineFixture.yaml(14, 100), SETTINGS);
        site.apply(site.tick(null).actions().get(0));
        EngineState moved =
                site.state.migrate(io.headroom.controller.site.SiteLoader.parse("s", EngineFixture.yaml(20, 100)));
        assertThat(moved.control("m3").curtailed()).isTrue();
        assertThat(moved.curtailed()).extracting(DeviceControl::deviceId).containsExactly("m3");
    }

    private static void assertRateLimited(EngineFixture site, String id) {
        List<java.time.Instant> times = site.sentAt(id);
        for (int i = 1; i < times.size(); i++) {
            assertThat(Duration.between(times.get(i - 1), times.get(i)))
                    .as(id)
                    .isGreaterThanOrEqualTo(SETTINGS.minCommandInterval());
        }
    }
}
