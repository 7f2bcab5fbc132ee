package io.headroom.controller.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.controller.journal.Journal;
import io.headroom.controller.journal.JournalSettings;
import io.headroom.controller.market.Market;
import io.headroom.controller.market.MarketInput;
import io.headroom.controller.market.MarketRoutesFixture;
import io.headroom.controller.market.MarketState;
import io.headroom.controller.market.PricePoint;
import io.headroom.controller.market.PriceSeries;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A controller restarted from its journal while the market has struck the old miners, through the
 * real engine in simulated time: the market's state comes back from the journal's {@code market}
 * record, so the struck miners stay asleep (none is woken and slept again), the first tick after
 * the restart already acts on the strike, and a restart mid-dwell strikes at the same interval as
 * without one.
 */
class MarketRestartSimulationTest {
    private static final double HASHPRICE = 50;

    @TempDir
    Path dir;

    private SimulatedSiteRig rig;
    private Journal journal;

    private Market market(Instant start, MarketState state) {
        // 40 USD/MWh for 10 minutes, then 85 (above the old miners' break-even + margin) for 2 hours.
        List<PricePoint> energy = new ArrayList<>();
        for (int i = 0; i < 26; i++) {
            energy.add(new PricePoint(start.plus(Duration.ofMinutes(5L * i)), i >= 2 ? 85 : 40));
        }
        return Market.of(
                MarketRoutesFixture.config(),
                "sim",
                Map.of(
                        MarketInput.HASHPRICE,
                        MarketRoutesFixture.fixed(PriceSeries.of(List.of(new PricePoint(start, HASHPRICE)))),
                        MarketInput.ENERGY_RT,
                        MarketRoutesFixture.fixed(PriceSeries.of(energy)),
                        MarketInput.AI_CAPACITY,
                        MarketRoutesFixture.fixed(PriceSeries.of(List.of(new PricePoint(start, 0.25))))),
                state);
    }

    private Journal open() throws Exception {
        return Journal.open(
                dir,
                JournalSettings.defaults(JournalSettings.Fsync.NEVER),
                new RigClock(rig),
                new SimpleMeterRegistry());
    }

    /** The controller restarts: journal reopened, engine and market state recovered from it. */
    private MarketTargets restart(Instant start) throws Exception {
        journal.close();
        journal = open();
        EngineRecovery.Recovered recovered =
                EngineRecovery.replay(rig.model, journal.replayed(), rig.now, rig.model.staleAfter());
        rig.restarted(recovered.state());
        EngineJournalFile file = new EngineJournalFile(
                journal, journal.replayed(), EngineSettings.defaults().commandTtl());
        rig.journal(file);
        return new MarketTargets(
                TargetSource.NONE, market(start, EngineJournalFile.marketState(journal.replayed())), file);
    }

    private MarketTargets begin(Instant start) throws Exception {
        journal = open();
        EngineJournalFile file = new EngineJournalFile(
                journal, journal.replayed(), EngineSettings.defaults().commandTtl());
        rig.journal(file);
        return new MarketTargets(TargetSource.NONE, market(start, MarketState.initial()), file);
    }

    private Set<String> oldMiners() {
        return rig.models.entrySet().stream()
                .filter(e -> e.getValue().equals("sim-old"))
                .map(Map.Entry::getKey)
                .collect(Collectors.toSet());
    }

    private Set<String> devices(ActionKind kind, int from) {
        return rig.actions.subList(from, rig.actions.size()).stream()
                .filter(a -> a.kind() == kind)
                .map(Action::deviceId)
                .collect(Collectors.toSet());
    }

    @Test
    void struckMinersStayAsleepAcrossARestart_noneWokenAndSleptAgain() throws Exception {
        rig = new SimulatedSiteRig(SimulatedSiteRig.siteYaml(1, 1, 1, 8, 200), EngineSettings.defaults(), 3, 0.01);
        Instant start = SimulatedSiteRig.START;
        MarketTargets targets = begin(start);
        // The third interval above is the point at 20 min; two minutes on, every old miner sleeps.
        while (rig.now.isBefore(start.plus(Duration.ofMinutes(22)))) {
            rig.tickWith(targets);
        }
        Set<String> old = oldMiners();
        assertThat(devices(ActionKind.SLEEP, 0)).isEqualTo(old);

        targets = restart(start);
        assertThat(targets.strikes(rig.now).models())
                .as("the first tick after the restart acts on the strike")
                .containsKey("sim-old");
        int before = rig.actions.size();
        // Well past the reconcile window, the restore dwell and three more intervals at 85.
        while (rig.now.isBefore(start.plus(Duration.ofMinutes(40)))) {
            rig.tickWith(targets);
        }
        assertThat(devices(ActionKind.WAKE, before)).as("none woken").isEmpty();
        assertThat(devices(ActionKind.SLEEP, before)).as("none slept again").isEmpty();
        for (String id : old) {
            assertThat(rig.miners.get(id).snapshot().powerWatts()).isLessThan(500);
        }
        journal.close();
    }

    @Test
    void aRestartMidDwell_strikesAtTheSameIntervalAsWithoutOne() throws Exception {
        rig = new SimulatedSiteRig(SimulatedSiteRig.siteYaml(1, 1, 1, 8, 200), EngineSettings.defaults(), 3, 0.01);
        Instant start = SimulatedSiteRig.START;
        MarketTargets targets = begin(start);
        // Two intervals above (the points at 10 and 15 min) counted, then the restart.
        while (rig.now.isBefore(start.plus(Duration.ofMinutes(17)))) {
            rig.tickWith(targets);
        }
        assertThat(rig.actions).isEmpty();
        targets = restart(start);
        Instant firstSleep = null;
        while (firstSleep == null && rig.now.isBefore(start.plus(Duration.ofMinutes(32)))) {
            TickResult tick = rig.tickWith(targets);
            if (tick.actions().stream().anyMatch(a -> a.kind() == ActionKind.SLEEP)) {
                firstSleep = rig.now;
            }
        }
        assertThat(firstSleep)
                .as("struck at the third interval (20 min), not three intervals after the restart")
                .isNotNull()
                .isBefore(start.plus(Duration.ofMinutes(21)));
        journal.close();
    }

    /** The journal stamps its records with the rig's simulated time. */
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
