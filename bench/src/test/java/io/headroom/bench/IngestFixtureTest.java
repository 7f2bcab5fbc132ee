package io.headroom.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.controller.store.DeviceView;
import io.headroom.controller.store.MetricReading;
import io.micrometer.core.instrument.search.Search;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The benchmark must measure the path a real rack takes: every message accepted in sequence, every
 * sample applied to the store, nothing dropped and no re-birth asked for. Not a timing test.
 */
class IngestFixtureTest {

    @Test
    void everyMessageAccepted_everySampleApplied_nothingDropped() {
        IngestFixture fixture = new IngestFixture(40);
        int messages = 1_000;

        for (int i = 0; i < messages; i++) {
            fixture.ingestNext();
        }

        assertThat(fixture.samplesPerMessage()).isEqualTo(40 * IngestFixture.METRICS_PER_MINER);
        assertThat(fixture.registry()
                        .get("headroom.ingest.messages")
                        .tags("kind", "data", "outcome", "accepted")
                        .counter()
                        .count())
                .isEqualTo(messages);
        assertThat(fixture.registry()
                        .get("headroom.ingest.samples")
                        .tags("outcome", "applied")
                        .counter()
                        .count())
                .isEqualTo((double) messages * fixture.samplesPerMessage());
        Search.in(fixture.registry()).name("headroom.ingest.samples").counters().stream()
                .filter(c -> !"applied".equals(c.getId().getTag("outcome")))
                .forEach(c -> assertThat(c.count()).as(c.getId().toString()).isZero());
        Search.in(fixture.registry())
                .name("headroom.ingest.rebirth.requests")
                .counters()
                .forEach(c -> assertThat(c.count()).as(c.getId().toString()).isZero());
        assertThat(fixture.registry().get("headroom.ingest.errors").counter().count())
                .isZero();

        assertThat(fixture.store().size()).isEqualTo(40);
        DeviceView miner = fixture.store().device("miner-00039").orElseThrow();
        assertThat(miner.metrics()).hasSize(IngestFixture.METRICS_PER_MINER);
        MetricReading power = miner.metric("power");
        // The last message's timestamp: the first Data is 1 ms after the Birth, each next one 1 ms later.
        assertThat(power.at()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L + messages));
        assertThat(fixture.seq()).isEqualTo(1 + messages);
    }

    @Test
    void aFleet_everyAgentsDataAccepted_stampedAsGiven_devicesKeptApart() {
        IngestFixture fleet = new IngestFixture(3, 40, true);
        long second = IngestFixture.START_MS + 1_000;

        for (int round = 0; round < 5; round++) {
            for (int agent = 0; agent < fleet.agents(); agent++) {
                fleet.ingest(agent, second + round * 1_000L);
            }
        }

        assertThat(fleet.registry()
                        .get("headroom.ingest.samples")
                        .tags("outcome", "applied")
                        .counter()
                        .count())
                .isEqualTo(5.0 * 3 * fleet.samplesPerMessage());
        assertThat(fleet.registry()
                        .get("headroom.ingest.messages")
                        .tags("kind", "data", "outcome", "accepted")
                        .counter()
                        .count())
                .isEqualTo(15);
        assertThat(fleet.store().size()).isEqualTo(3 * 40);
        assertThat(fleet.store()
                        .device("rack-3-miner-00039")
                        .orElseThrow()
                        .metric("power")
                        .at())
                .isEqualTo(Instant.ofEpochMilli(second + 4_000));
        assertThat(fleet.store().device("miner-00000").orElseThrow().agent()).isEqualTo(IngestFixture.AGENT);
    }
}
