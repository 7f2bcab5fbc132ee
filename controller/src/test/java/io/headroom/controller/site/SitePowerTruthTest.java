package io.headroom.controller.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.headroom.controller.SteppableClock;
import io.headroom.controller.store.DeviceState;
import io.headroom.controller.store.DeviceView;
import io.headroom.controller.store.MetricReading;
import io.headroom.protocol.wire.Quality;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Power truth: source precedence, the stale and implausible rules on a stepped clock, nodes metered or summed. */
class SitePowerTruthTest {

    private static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");

    private SteppableClock clock;
    private SiteModel site;
    private final Map<String, DeviceView> devices = new HashMap<>();

    @BeforeEach
    void setUp() throws Exception {
        clock = new SteppableClock(T0);
        site = SiteLoader.parse("site.yaml", SiteLoaderTest.SMALL);
    }

    private SiteSnapshot compute() {
        return PowerTruth.compute(site, DeviceLookup.ofViews(devices::get), clock.instant());
    }

    private int node(SiteNodeKind kind, String id) {
        return site.indexOf(kind, id);
    }

    private static MetricReading watts(double value, Instant at, Quality quality) {
        return new MetricReading(value, "W", at, quality);
    }

    /** A device view with the given status, profile nameplate and readings. */
    private void report(String id, String agent, DeviceState status, double nameplateW, Map<String, MetricReading> m) {
        devices.put(
                id,
                new DeviceView(
                        id,
                        agent,
                        "miner",
                        "S19 XP",
                        "luxor/luxos",
                        "",
                        nameplateW,
                        status,
                        "",
                        "",
                        T0,
                        m,
                        List.of(),
                        List.of(),
                        null));
    }

    private void reportPower(String id, double watts, Instant at) {
        report(id, "a1", DeviceState.ONLINE, 3010, Map.of("power", watts(watts, at, Quality.QUALITY_GOOD)));
    }

    private void reportPdu(Map<String, MetricReading> readings) {
        report("pdu-dev-1", "a1", DeviceState.ONLINE, 0, readings);
    }

    @Test
    void outletReading_beatsTheDevicesOwn() {
        reportPower("m1", 3100, T0);
        reportPdu(Map.of("power[1]", watts(3200, T0, Quality.QUALITY_GOOD)));

        SiteSnapshot snapshot = compute();

        int m1 = node(SiteNodeKind.DEVICE, "m1");
        assertThat(snapshot.loadKw(m1)).isEqualTo(3.2);
        assertThat(snapshot.source(m1)).isEqualTo(PowerSource.METERED);
        assertThat(snapshot.reading(m1)).isEqualTo(ReadingState.LIVE);
    }

    @Test
    void deviceReading_whenTheOutletsIsStale_thenLastKnownOrNameplate_asTheClockSteps() {
        reportPdu(Map.of("power[1]", watts(2000, T0.minusSeconds(60), Quality.QUALITY_GOOD)));
        reportPower("m1", 3100, T0);
        int m1 = node(SiteNodeKind.DEVICE, "m1");

        SiteSnapshot live = compute();
        assertThat(live.source(m1)).isEqualTo(PowerSource.DEVICE);
        assertThat(live.loadKw(m1)).isEqualTo(3.1);

        clock.advance(Duration.ofSeconds(30));
        assertThat(compute().source(m1))
                .as("exactly stale-after old is still live")
                .isEqualTo(PowerSource.DEVICE);

        clock.advance(Duration.ofSeconds(1));
        SiteSnapshot stale = compute();
        // The last known 3.1 kW is above the 3.01 kW nameplate: it counts.
        assertThat(stale.source(m1)).isEqualTo(PowerSource.LAST_KNOWN);
        assertThat(stale.loadKw(m1)).isEqualTo(3.1);
        assertThat(stale.reading(m1)).isEqualTo(ReadingState.STALE);

        reportPower("m1", 1500, T0);
        SiteSnapshot low = compute();
        // A stale 1.5 kW (perhaps sleeping then) is below the nameplate: the nameplate counts.
        assertThat(low.source(m1)).isEqualTo(PowerSource.NAMEPLATE);
        assertThat(low.loadKw(m1)).isEqualTo(3.01);
        assertThat(low.reading(m1)).isEqualTo(ReadingState.STALE);
    }

    @Test
    void staleDevice_countsAtTheHigherOfLastKnownAndNameplate_evenWithAFreshSample() {
        report("m1", "a1", DeviceState.STALE, 3010, Map.of("power", watts(3300, T0, Quality.QUALITY_GOOD)));
        int m1 = node(SiteNodeKind.DEVICE, "m1");

        SiteSnapshot snapshot = compute();

        assertThat(snapshot.source(m1)).isEqualTo(PowerSource.LAST_KNOWN);
        assertThat(snapshot.loadKw(m1)).isEqualTo(3.3);
        report("m1", "a1", DeviceState.OFFLINE, 3010, Map.of("power", watts(100, T0, Quality.QUALITY_GOOD)));
        assertThat(compute().source(m1)).isEqualTo(PowerSource.NAMEPLATE);
    }

    @Test
    void implausibleReadings_areNeverUsed_notEvenAsLastKnown() {
        int m1 = node(SiteNodeKind.DEVICE, "m1");
        for (MetricReading bad : List.of(
                watts(9000, T0, Quality.QUALITY_BAD),
                watts(9000, T0, Quality.QUALITY_UNCERTAIN),
                watts(25_000, T0, Quality.QUALITY_GOOD))) {
            report("m1", "a1", DeviceState.ONLINE, 3010, Map.of("power", bad));

            SiteSnapshot snapshot = compute();

            assertThat(snapshot.source(m1)).as("%s", bad).isEqualTo(PowerSource.NAMEPLATE);
            assertThat(snapshot.loadKw(m1)).as("%s", bad).isEqualTo(3.01);
            assertThat(snapshot.reading(m1)).as("%s", bad).isEqualTo(ReadingState.IMPLAUSIBLE);
        }
    }

    @Test
    void overrideNameplate_beatsTheProfiles_andUnknownIsAProblem() {
        int m2 = node(SiteNodeKind.DEVICE, "m2");
        int gpu = node(SiteNodeKind.DEVICE, "gpu1");
        report("m2", "a1", DeviceState.STALE, 3010, Map.of());

        SiteSnapshot snapshot = compute();

        assertThat(snapshot.source(m2)).isEqualTo(PowerSource.OVERRIDE);
        assertThat(snapshot.loadKw(m2)).isEqualTo(3.5);
        assertThat(snapshot.reading(m2)).isEqualTo(ReadingState.NONE);
        // gpu1 was never reported and has no nameplate-w: 0 kW, said plainly.
        assertThat(snapshot.source(gpu)).isEqualTo(PowerSource.UNKNOWN);
        assertThat(snapshot.loadKw(gpu)).isZero();
        assertThat(snapshot.problems())
                .extracting(SiteProblem::code, SiteProblem::device)
                .contains(org.assertj.core.groups.Tuple.tuple(SiteProblem.NO_POWER_FIGURE, "gpu1"));
    }

    @Test
    void nodes_meteredWhenTheirMeterIsLive_elseTheSumOfTheirChildren() {
        reportPower("m1", 3000, T0);
        report("m2", "a1", DeviceState.ONLINE, 3010, Map.of("power", watts(2500, T0, Quality.QUALITY_GOOD)));
        report("gpu1", "a2", DeviceState.ONLINE, 0, Map.of("power", watts(700, T0, Quality.QUALITY_GOOD)));
        int rack1 = node(SiteNodeKind.RACK, "rack-1");
        int pdu1 = node(SiteNodeKind.PDU, "pdu-1");
        int feed = node(SiteNodeKind.FEED, "feed-a");

        SiteSnapshot summed = compute();
        assertThat(summed.loadKw(rack1)).isCloseTo(5.5, within(1e-9));
        assertThat(summed.source(rack1)).isEqualTo(PowerSource.SUM);
        assertThat(summed.headroomKw(rack1)).isCloseTo(-1.5, within(1e-9));
        assertThat(summed.source(pdu1)).isEqualTo(PowerSource.SUM);
        assertThat(summed.reading(pdu1))
                .as("pdu-1 has a meter that never reported")
                .isEqualTo(ReadingState.NONE);
        assertThat(summed.loadKw(feed)).isCloseTo(6.2, within(1e-9));
        assertThat(summed.loadKw(0)).isCloseTo(6.2, within(1e-9));
        assertThat(summed.headroomKw(0)).isCloseTo(93.8, within(1e-9));
        assertThat(summed.headroomKw(node(SiteNodeKind.DEVICE, "m1"))).isNaN();

        Map<String, MetricReading> pdu = new LinkedHashMap<>();
        pdu.put("power", watts(5800, T0, Quality.QUALITY_GOOD));
        reportPdu(pdu);
        report(
                "meter-a",
                "a1",
                DeviceState.ONLINE,
                0,
                Map.of("power", watts(45_000, T0.minusSeconds(5), Quality.QUALITY_GOOD)));
        SiteSnapshot metered = compute();
        assertThat(metered.source(pdu1)).isEqualTo(PowerSource.METERED);
        assertThat(metered.loadKw(pdu1)).isEqualTo(5.8);
        assertThat(metered.headroomKw(pdu1)).isCloseTo(4.992 - 5.8, within(1e-9));
        // A feed meter measures many devices: 45 kW is plausible there although no device draws that.
        assertThat(metered.source(feed)).isEqualTo(PowerSource.METERED);
        assertThat(metered.loadKw(feed)).isEqualTo(45.0);
        assertThat(metered.loadKw(0)).as("the site sums its feeds").isEqualTo(45.0);
        assertThat(metered.source(0)).isEqualTo(PowerSource.SUM);
        assertThat(metered.zoneLoadKw(0)).isCloseTo(5.5 + 0.7, within(1e-9));

        clock.advance(Duration.ofSeconds(26));
        SiteSnapshot meterStale = compute();
        assertThat(meterStale.source(feed)).isEqualTo(PowerSource.SUM);
        assertThat(meterStale.reading(feed)).isEqualTo(ReadingState.STALE);
        assertThat(meterStale.source(pdu1)).isEqualTo(PowerSource.METERED);
    }

    @Test
    void deviceReportedByAnotherAgent_isASiteProblem() {
        report("m1", "intruder", DeviceState.ONLINE, 3010, Map.of("power", watts(3000, T0, Quality.QUALITY_GOOD)));

        assertThat(compute().problems())
                .filteredOn(p -> p.code().equals(SiteProblem.AGENT_MISMATCH))
                .singleElement()
                .satisfies(p -> {
                    assertThat(p.device()).isEqualTo("m1");
                    assertThat(p.message()).contains("intruder").contains("a1");
                });
    }

    @Test
    void twoThousandDevices_sumUpExactly_throughEveryLevel() throws Exception {
        StringBuilder yaml = new StringBuilder("site: big\nlimit-kw: 40000\nfeeds:\n  - id: f\n    pdus:\n");
        Map<String, DeviceView> views = new HashMap<>();
        for (int r = 0; r < 20; r++) {
            yaml.append("      - id: p")
                    .append(r)
                    .append("\n")
                    .append("        breaker: {amps: 400, volts: 415, phases: 3}\n")
                    .append("        meter: {agent: a")
                    .append(r)
                    .append(", device: pdu")
                    .append(r)
                    .append("}\n")
                    .append("        racks:\n          - id: r")
                    .append(r)
                    .append("\n            devices:\n");
            Map<String, MetricReading> outlets = new HashMap<>();
            for (int d = 0; d < 100; d++) {
                String id = "m" + (r * 100 + d);
                yaml.append("              - {id: ")
                        .append(id)
                        .append(", agent: a")
                        .append(r)
                        .append(", class: hashing, outlet: \"")
                        .append(d + 1)
                        .append("\"}\n");
                outlets.put("power[" + (d + 1) + "]", watts(3000 + d, T0, Quality.QUALITY_GOOD));
            }
            views.put(
                    "pdu" + r,
                    new DeviceView(
                            "pdu" + r,
                            "a" + r,
                            "pdu",
                            "",
                            "",
                            "",
                            0,
                            DeviceState.ONLINE,
                            "",
                            "",
                            T0,
                            outlets,
                            List.of(),
                            List.of(),
                            null));
        }
        SiteModel big = SiteLoader.parse("big.yaml", yaml.toString());

        SiteSnapshot snapshot = PowerTruth.compute(big, DeviceLookup.ofViews(views::get), T0);

        assertThat(big.size()).isEqualTo(1 + 1 + 20 + 20 + 2_000);
        // Each rack: 100 × 3000 W + (0 + … + 99) W = 304.95 kW; the PDUs' own totals never reported.
        assertThat(snapshot.loadKw(big.indexOf(SiteNodeKind.RACK, "r17"))).isCloseTo(304.95, within(1e-6));
        assertThat(snapshot.source(big.indexOf(SiteNodeKind.DEVICE, "m1742"))).isEqualTo(PowerSource.METERED);
        assertThat(snapshot.loadKw(0)).isCloseTo(20 * 304.95, within(1e-6));
        assertThat(snapshot.headroomKw(0)).isCloseTo(40_000 - 20 * 304.95, within(1e-6));
        assertThat(snapshot.problems()).isEmpty();
    }
}
