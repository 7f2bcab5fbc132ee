package io.headroom.controller.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.controller.journal.Journal;
import io.headroom.controller.journal.JournalSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A controller killed (kill -9: its memory gone, its journal as written) at each step of a grid
 * event's curtailment, then restarted from its journal while the devices and the commands already
 * sent go on: the site still reaches its target by the deadline, and nothing sent after the restart
 * contradicts what was sent before (no device is woken while the event holds, none is commanded
 * faster than its rate limit, a command's late result still reaches the engine).
 */
class EngineCrashRecoveryTest {

    private static final String SITE = SimulatedSiteRig.siteYaml(2, 2, 2, 25, 200);
    private static final EngineSettings SETTINGS = EngineSettings.defaults();

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(
            value = SimulatedSiteRig.Crash.class,
            names = {"AFTER_DECISION", "AFTER_JOURNAL", "AFTER_SOME_COMMANDS"})
    void aControllerKilledMidCurtailmentRecoversWithinLimitsAndWithoutContradiction(SimulatedSiteRig.Crash crash)
            throws Exception {
        SimulatedSiteRig rig = new SimulatedSiteRig(SITE, SETTINGS, 5, 0.01);
        clock = new RigClock(rig);
        Journal journal = open();
        rig.journal(new EngineJournalFile(journal, journal.replayed(), SETTINGS.commandTtl()));
        for (int i = 0; i < 10; i++) {
            rig.tick(null);
        }
        double baseline = rig.siteKw();
        double target = baseline * 0.6;
        Instant start = rig.now;
        Duration ramp = Duration.ofSeconds(120);
        boolean crashed = false;
        int restarts = 0;
        while (rig.now.isBefore(start.plus(ramp).plusSeconds(120))) {
            SiteTarget now = SimulatedSiteRig.ramp("event-1", start, baseline, target, ramp, rig.now.plusSeconds(1));
            // Crash at the third tick that decides something, then once more later in the ramp.
            boolean crashHere = !crashed && rig.actions.size() > 0 && rig.now.isAfter(start.plusSeconds(30));
            boolean secondCrash = crashed && restarts == 1 && rig.now.isAfter(start.plusSeconds(70));
            TickResult tick = rig.tick(now, crashHere || secondCrash ? crash : SimulatedSiteRig.Crash.NONE);
            if ((crashHere || secondCrash) && !tick.actions().isEmpty()) {
                journal.close();
                journal = open();
                EngineRecovery.Recovered recovered =
                        EngineRecovery.replay(rig.model, journal.replayed(), rig.now, rig.model.staleAfter());
                rig.restarted(recovered.state());
                rig.journal(new EngineJournalFile(journal, journal.replayed(), SETTINGS.commandTtl()));
                crashed = true;
                restarts++;
            }
            if (!rig.now.isBefore(start.plus(ramp))) {
                assertThat(rig.siteKw())
                        .as("metered site power after the deadline")
                        .isLessThanOrEqualTo(target);
            }
        }
        journal.close();
        assertThat(restarts).as("the crash happened").isGreaterThanOrEqualTo(1);
        // No contradiction: the event holds throughout, so nothing may be restored.
        assertThat(rig.actions).noneMatch(Action::restore);
        // No device commanded faster than its rate limit, across the restarts.
        Map<String, List<Instant>> times = new HashMap<>();
        for (int i = 0; i < rig.actions.size(); i++) {
            times.computeIfAbsent(rig.actions.get(i).deviceId(), k -> new ArrayList<>())
                    .add(rig.actionTimes.get(i));
        }
        for (var entry : times.entrySet()) {
            for (int i = 1; i < entry.getValue().size(); i++) {
                assertThat(Duration.between(
                                entry.getValue().get(i - 1), entry.getValue().get(i)))
                        .as("commands to %s", entry.getKey())
                        .isGreaterThanOrEqualTo(SETTINGS.minCommandInterval());
            }
        }
        // Every curtailed device is known to the recovered engine as curtailed for the event.
        assertThat(rig.state.curtailed()).isNotEmpty().allMatch(c -> "event-1".equals(c.eventId()));
    }

    private Clock clock = Clock.systemUTC();

    private Journal open() throws Exception {
        return Journal.open(
                dir, JournalSettings.defaults(JournalSettings.Fsync.NEVER), clock, new SimpleMeterRegistry());
    }

    /** The journal stamps its records with the rig's simulated time, as the controller's with its clock. */
    private static final class RigClock extends Clock {
        private final SimulatedSiteRig rig;

        RigClock(SimulatedSiteRig rig) {
            this.rig = rig;
        }

        @Override
        public Instant instant() {
            return rig.now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
