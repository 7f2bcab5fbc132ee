package io.headroom.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.controller.ingest.Ingest;
import io.headroom.controller.mqtt.Credential;
import io.headroom.controller.mqtt.CredentialStore;
import io.headroom.controller.mqtt.MqttEndpoint;
import io.headroom.controller.mqtt.MqttEndpointConfig;
import io.headroom.controller.mqtt.PasswordHash;
import io.headroom.controller.mqtt.Role;
import io.headroom.controller.store.DeviceView;
import io.headroom.controller.store.StateStore;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The system bench's load generator against the controller's real MQTT endpoint and ingest, in
 * this JVM: every Data it sends is applied to the store and acknowledged, every value it last sent
 * is what the store holds, no rebirth is asked for, and the rate mode keeps to its schedule. What
 * the bench reports is only worth something if this holds. Not a timing test.
 */
class LoadGeneratorTest {
    private static final String PASSWORD = "generator-test-secret";
    private static final SystemBench.Load LOAD = new SystemBench.Load(3, 5, 8, Double.NaN, 2, 0, 0);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final StateStore store = new StateStore();
    private MqttEndpoint endpoint;

    @BeforeEach
    void start() throws Exception {
        PasswordHash hash = PasswordHash.create(PASSWORD.toCharArray());
        CredentialStore credentials = CredentialStore.of(LOAD.agents().stream()
                .map(agent -> new Credential(agent, Role.AGENT, hash))
                .toList());
        AtomicReference<MqttEndpoint> publisher = new AtomicReference<>();
        Ingest ingest = new Ingest(
                ControllerUnderTest.SITE,
                store,
                (topic, bytes, retain, expiry) -> publisher.get().publish(topic, bytes, retain, expiry),
                (agent, result) -> {},
                Clock.systemUTC(),
                registry);
        endpoint = MqttEndpoint.start(
                MqttEndpointConfig.defaults(ControllerUnderTest.SITE, "127.0.0.1", 0), credentials, ingest, registry);
        publisher.set(endpoint);
    }

    @AfterEach
    void stop() {
        endpoint.close();
    }

    @Test
    void maxMode_everySampleSentIsApplied_andEveryMessageAcked() throws Exception {
        List<LoadConnection> connections = LOAD.build(true);
        LoadGenerator generator = LoadGenerator.start(
                endpoint.localAddress(), connections, PASSWORD, LOAD.ackTopics(), 8, Double.NaN, 2, 2);
        generator.measure(Long.MIN_VALUE, Long.MAX_VALUE);
        generator.begin();
        // Until every connection has had several windows acknowledged: the window must reopen.
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (connections.stream().anyMatch(c -> c.seqAcked() < 50) && System.nanoTime() < deadline) {
            assertThat(generator.failure()).isNull();
            Thread.sleep(10);
        }
        assertThat(generator.drain(30_000)).as("every message acknowledged").isTrue();
        generator.close();

        long sent = generator.dataSent();
        assertThat(connections)
                .allSatisfy(c -> assertThat(c.seqAcked()).isEqualTo(c.seqSent()).isGreaterThan(50));
        assertThat(sent)
                .isEqualTo(connections.stream().mapToLong(c -> c.seqSent() - 1).sum());
        assertThat(counter("headroom.ingest.samples", "applied")).isEqualTo((double) sent * LOAD.samplesPerMessage());
        Search.in(registry).name("headroom.ingest.samples").counters().stream()
                .filter(c -> !"applied".equals(c.getId().getTag("outcome")))
                .forEach(c -> assertThat(c.count()).as(c.getId().toString()).isZero());
        assertThat(generator.rebirths()).isZero();
        LoadGenerator.Window results = generator.results();
        assertThat(results.sent).isEqualTo(sent);
        assertThat(results.acked).isEqualTo(sent);
        assertThat(results.appAck.count()).isEqualTo(sent);
        assertThat(results.pubAck.count()).isEqualTo(sent);

        assertThat(store.size()).isEqualTo(LOAD.connections() * LOAD.devices());
        // The last connection's last miner: the store holds the value the generator sent last.
        RackTraffic last = connections.get(2).traffic;
        DeviceView miner = store.device("miner-000014").orElseThrow();
        assertThat(miner.metrics()).hasSize(RackTraffic.METRICS_PER_MINER);
        assertThat(miner.metric("power").value()).isEqualTo(last.value(4 * RackTraffic.METRICS_PER_MINER));
    }

    @Test
    void rateMode_sendsOnSchedule_andOnlyWhatIsDue_andCountsNothingOutsideTheWindow() throws Exception {
        List<LoadConnection> connections = LOAD.build(true);
        LoadGenerator generator =
                LoadGenerator.start(endpoint.localAddress(), connections, PASSWORD, LOAD.ackTopics(), 8, 20, 1, 3);
        long before = System.nanoTime();
        generator.begin();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (connections.stream().anyMatch(c -> c.seqAcked() < 11) && System.nanoTime() < deadline) {
            assertThat(generator.failure()).isNull();
            Thread.sleep(10);
        }
        assertThat(generator.drain(30_000)).isTrue();
        double seconds = (System.nanoTime() - before) / 1e9;
        generator.close();

        // 20 messages a second each, the first due at once: never more than the schedule allows.
        assertThat(connections).allSatisfy(c -> {
            assertThat(c.seqSent() - 1).isGreaterThanOrEqualTo(10);
            assertThat((double) (c.seqSent() - 1)).isLessThanOrEqualTo(seconds * 20 + 1);
        });
        assertThat(counter("headroom.ingest.samples", "applied"))
                .isEqualTo((double) generator.dataSent() * LOAD.samplesPerMessage());
        assertThat(generator.rebirths()).isZero();
        // No window was opened (measure): a warm-up like this one counts towards nothing.
        LoadGenerator.Window results = generator.results();
        assertThat(results.sent).isZero();
        assertThat(results.appAck.count()).isZero();
        assertThat(results.pubAck.count()).isZero();
    }

    private double counter(String name, String outcome) {
        return registry.get(name).tag("outcome", outcome).counter().count();
    }
}
