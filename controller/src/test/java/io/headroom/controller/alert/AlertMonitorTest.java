package io.headroom.controller.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.headroom.controller.SteppableClock;
import io.headroom.controller.grid.GridEventBook;
import io.headroom.controller.grid.GridEventListener;
import io.headroom.controller.grid.GridEventRequest;
import io.headroom.controller.site.SiteLoader;
import io.headroom.controller.site.SiteModel;
import io.headroom.controller.store.DeviceRecord;
import io.headroom.controller.store.DeviceState;
import io.headroom.controller.store.MetricSlot;
import io.headroom.controller.store.StateStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The controller's evaluation against its real state store, site model and grid-event book in
 * stepped time: each condition fires after its {@code for:} and clears when it clears, and the
 * gauges the Prometheus rules read carry the same figures.
 */
class AlertMonitorTest {

    private static final String SITE_YAML = """
            site: demo
            limit-kw: 100
            feeds:
              - id: f1
                limit-kw: 7
                pdus:
                  - id: p1
                    breaker: {amps: 50, volts: 240, derate-percent: 100}
                    racks:
                      - id: r1
                        devices:
                          - {id: m1, agent: a1, class: hashing}
                          - {id: m2, agent: a1, class: hashing}
            """;

    private final SteppableClock clock = new SteppableClock(Instant.parse("2026-12-01T12:00:00Z"));
    private final StateStore store = new StateStore();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private SiteModel model;
    private GridEventBook book;
    private AlertMonitor monitor;
    private DeviceRecord m1;
    private DeviceRecord m2;
    private DeviceRecord lone;

    @BeforeEach
    void setUp() throws Exception {
        model = SiteLoader.parse("site.yaml", SITE_YAML);
        book = new GridEventBook(GridEventListener.NONE, registry);
        m1 = miner("m1", "a1");
        m2 = miner("m2", "a1");
        lone = miner("x9", "a2");
        store.replaceAgentDevices("a1", List.of(m1, m2));
        store.replaceAgentDevices("a2", List.of(lone));
        reading(m1, 3000, 70);
        reading(m2, 3000, 72);
        reading(lone, 3000, 60);
        monitor = new AlertMonitor(AlertSettings.DEFAULTS, store, () -> model, book, clock, registry);
    }

    private DeviceRecord miner(String id, String agent) {
        return new DeviceRecord(
                id,
                agent,
                "miner",
                "S19",
                "luxor/luxos",
                "",
                3200,
                List.of(new MetricSlot("power", "", "W"), new MetricSlot("temperature.chip", "board1", "°C")),
                List.of(),
                DeviceState.ONLINE,
                "",
                "",
                clock.instant());
    }

    private void reading(DeviceRecord record, double watts, double chipC) {
        long now = clock.millis();
        record.apply(0, watts, now, 0, now);
        record.apply(1, chipC, now, 0, now);
    }

    private List<ActiveAlert> step(Duration by) {
        clock.advance(by);
        return monitor.evaluate().firing();
    }

    private List<String> firing(AlertRule rule, List<ActiveAlert> alerts) {
        return alerts.stream()
                .filter(a -> a.rule() == rule)
                .map(ActiveAlert::subject)
                .toList();
    }

    @Test
    void aCalmSite_firesNothing() {
        assertThat(step(Duration.ZERO)).isEmpty();
        assertThat(step(Duration.ofHours(1))).isEmpty();
        assertThat(monitor.alerts().pending()).isZero();
        assertThat(monitor.alerts().evaluatedAt()).isEqualTo(clock.instant());
    }

    @Test
    void aHotDevice_firesAfterFiveMinutes_namingIt_andClearsWhenItCools() {
        reading(m2, 3000, 91.5);
        assertThat(firing(AlertRule.DEVICE_HOT, step(Duration.ZERO))).isEmpty();
        reading(m2, 3000, 91.5);
        assertThat(firing(AlertRule.DEVICE_HOT, step(Duration.ofSeconds(299)))).isEmpty();
        reading(m2, 3000, 91.5);

        List<ActiveAlert> alerts = step(Duration.ofSeconds(1));

        assertThat(firing(AlertRule.DEVICE_HOT, alerts)).containsExactly("m2");
        assertThat(alerts.get(0).summary()).isEqualTo("device m2 (rack r1): hottest chip 91.5 °C, at or above 90 °C");
        assertThat(registry.scrape()).contains("headroom_rack_temperature_max_celsius{rack=\"r1\"} 91.5");

        reading(m2, 3000, 89);
        assertThat(firing(AlertRule.DEVICE_HOT, step(Duration.ofSeconds(15)))).isEmpty();
        assertThat(registry.scrape()).contains("headroom_rack_temperature_max_celsius{rack=\"r1\"} 89.0");
    }

    @Test
    void aHotReadingOfADeviceNoLongerLive_doesNotCount() {
        reading(m2, 3000, 99);
        m2.setStatus(DeviceState.OFFLINE, "timeout", "no answer", clock.instant());
        step(Duration.ZERO);
        assertThat(firing(AlertRule.DEVICE_HOT, step(Duration.ofMinutes(6)))).isEmpty();
    }

    @Test
    void anOfflineDevice_firesAfterTenMinutes_andTheRackGaugeCountsIt() {
        m1.setStatus(DeviceState.OFFLINE, "timeout", "no answer", clock.instant());
        step(Duration.ZERO);
        assertThat(firing(AlertRule.DEVICE_OFFLINE, step(Duration.ofMinutes(9))))
                .isEmpty();
        assertThat(registry.scrape())
                .contains("headroom_rack_devices{rack=\"r1\",status=\"OFFLINE\"} 1.0")
                .contains("headroom_rack_devices{rack=\"none\",status=\"ONLINE\"} 1.0");

        assertThat(firing(AlertRule.DEVICE_OFFLINE, step(Duration.ofMinutes(1))))
                .containsExactly("m1");

        m1.setStatus(DeviceState.ONLINE, "", "", clock.instant());
        assertThat(firing(AlertRule.DEVICE_OFFLINE, step(Duration.ofSeconds(15))))
                .isEmpty();
        assertThat(registry.scrape()).contains("headroom_rack_devices{rack=\"r1\",status=\"OFFLINE\"} 0.0");
    }

    @Test
    void anAgentsStaleDevices_fireAgentStaleAfterTwoMinutes() {
        lone.markStaleIfLive("agent-death", "agent a2 disconnected", clock.instant());
        step(Duration.ZERO);
        assertThat(firing(AlertRule.AGENT_STALE, step(Duration.ofSeconds(105)))).isEmpty();
        List<ActiveAlert> alerts = step(Duration.ofSeconds(15));
        assertThat(firing(AlertRule.AGENT_STALE, alerts)).containsExactly("a2");
        assertThat(alerts.get(0).summary())
                .isEqualTo("agent a2: 1 of its 1 devices STALE (no fresh data from the agent)");
        assertThat(registry.scrape()).contains("headroom_agent_devices{agent=\"a2\",status=\"STALE\"} 1.0");
    }

    @Test
    void aFeedNearItsLimit_firesAfterFiveMinutes_andClearsUnderIt() {
        // f1 allows 7 kW; m1 and m2 draw 3.4 kW each: 97 %.
        reading(m1, 3400, 70);
        reading(m2, 3400, 70);
        step(Duration.ZERO);
        assertThat(registry.scrape())
                .contains("headroom_node_load_kilowatts{kind=\"feed\",node=\"f1\"} 6.8")
                .contains("headroom_node_limit_kilowatts{kind=\"feed\",node=\"f1\"} 7.0");
        reading(m1, 3400, 70);
        reading(m2, 3400, 70);
        List<ActiveAlert> alerts = step(Duration.ofMinutes(5));
        assertThat(firing(AlertRule.NODE_NEAR_LIMIT, alerts)).containsExactly("feed:f1");
        assertThat(alerts.get(0).summary()).isEqualTo("feed f1 at 6.8 kW of its 7.0 kW limit (97 %, alert at 95 %)");

        reading(m1, 3000, 70);
        reading(m2, 3000, 70);
        assertThat(firing(AlertRule.NODE_NEAR_LIMIT, step(Duration.ofSeconds(15))))
                .isEmpty();
    }

    @Test
    void aSiteAboveTheGridTarget_firesOffTargetAfterTwoMinutes() throws Exception {
        // m1 and m2 draw 6 kW (x9 is outside the site model); the event asks for 5 kW now (no ramp).
        String body = "{\"target_kw\": 5, \"end\": \"" + clock.instant().plus(Duration.ofHours(1))
                + "\", \"ramp_seconds\": 0}";
        book.submit(
                GridEventRequest.parse(new ObjectMapper().readTree(body), clock.instant()), "test", clock.instant());
        step(Duration.ZERO);
        assertThat(registry.scrape()).containsPattern("headroom_grid_target_kilowatts\\{event=\"[^\"]+\"} 5.0");
        keepReading();
        assertThat(firing(AlertRule.GRID_EVENT_OFF_TARGET, step(Duration.ofSeconds(105))))
                .isEmpty();
        keepReading();
        List<ActiveAlert> alerts = step(Duration.ofSeconds(15));
        assertThat(firing(AlertRule.GRID_EVENT_OFF_TARGET, alerts)).hasSize(1);
        assertThat(alerts.get(0).summary()).contains("site at 6.0 kW, target 5.0 kW");

        reading(m1, 1000, 60);
        reading(m2, 1000, 60);
        reading(lone, 3000, 60);
        assertThat(firing(AlertRule.GRID_EVENT_OFF_TARGET, step(Duration.ofSeconds(15))))
                .isEmpty();
    }

    private void keepReading() {
        reading(m1, 3000, 70);
        reading(m2, 3000, 70);
        reading(lone, 3000, 60);
    }

    @Test
    void aJournalWriteFailure_firesAfterAMinute_andClearsTenMinutesOn() {
        step(Duration.ZERO);
        registry.counter(AlertMonitor.JOURNAL_FAILURES).increment();
        assertThat(firing(AlertRule.JOURNAL_ERRORS, step(Duration.ofSeconds(15))))
                .isEmpty();
        for (int i = 0; i < 3; i++) {
            keepReading();
            step(Duration.ofSeconds(15));
        }
        keepReading();
        assertThat(firing(AlertRule.JOURNAL_ERRORS, step(Duration.ofSeconds(15))))
                .containsExactly("journal");
        for (int i = 0; i < 40; i++) {
            keepReading();
            step(Duration.ofSeconds(15));
        }
        assertThat(firing(AlertRule.JOURNAL_ERRORS, monitor.alerts().firing())).isEmpty();
    }
}
