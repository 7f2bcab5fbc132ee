package io.headroom.controller.mqtt;

import static io.headroom.controller.mqtt.TestPrincipals.AGENT;
import static io.headroom.controller.mqtt.TestPrincipals.AGENT_PASSWORD;
import static io.headroom.controller.mqtt.TestPrincipals.OBSERVER;
import static io.headroom.controller.mqtt.TestPrincipals.OBSERVER_PASSWORD;
import static io.headroom.controller.mqtt.TestPrincipals.SITE;
import static io.headroom.controller.mqtt.TestPrincipals.wire;
import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.config.DataSize;
import io.headroom.controller.market.Market;
import io.headroom.controller.market.MarketConfig;
import io.headroom.controller.market.MarketDecision;
import io.headroom.controller.market.MarketInput;
import io.headroom.controller.market.MarketState;
import io.headroom.controller.market.ModelEconomics;
import io.headroom.controller.market.PricePoint;
import io.headroom.controller.market.Strike;
import io.headroom.protocol.TopicKind;
import io.headroom.protocol.Topics;
import io.headroom.testkit.ManualClock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Market prices over the controller's own MQTT endpoint on a real socket, driven by Eclipse Paho v5:
 * a price principal's prices reach the market and strike a model; no one else may publish them, and
 * the price principal may publish nothing else; garbage, oversize, future and a flood are counted
 * drops answered in the PUBACK, never a lost connection or a changed price.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MarketPriceIT {
    private static final String FEED = "iso-feed";
    private static final String FEED_PASSWORD = "feed-secret";
    private static final Instant NOW = Instant.parse("2026-12-01T10:10:00Z");
    private static final String ENERGY = Topics.marketPrice(SITE, "energy-rt").toWire();
    private static final String HASHPRICE =
            Topics.marketPrice(SITE, "hashprice").toWire();
    private static final ModelEconomics S19 = ModelEconomics.ofProfile("Antminer S19", "hashing", 34.5);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ManualClock clock = new ManualClock(NOW, 0);
    private final RecordingListener agents = new RecordingListener();
    private MqttEndpoint endpoint;
    private Market market;
    private String uri;

    private record Client(
            MqttAsyncClient paho, CompletableFuture<Integer> disconnected, BlockingQueue<MqttMessage> inbox) {}

    private static MarketConfig.InputConfig mqtt(int maxPerMinute) {
        return new MarketConfig.InputConfig(
                MarketConfig.SourceKind.MQTT,
                Optional.empty(),
                Optional.empty(),
                Duration.ofMinutes(15),
                Optional.of(new MarketConfig.MqttSource(
                        Duration.ofMinutes(1),
                        Optional.of(-1000.0),
                        Optional.of(10_000.0),
                        DataSize.ofBytes(512),
                        maxPerMinute)));
    }

    @BeforeEach
    void start() throws Exception {
        MarketConfig config = new MarketConfig(
                mqtt(60),
                mqtt(10),
                Optional.empty(),
                Optional.empty(),
                MarketInput.ENERGY_RT,
                MarketConfig.Fallback.curtail(),
                5,
                0,
                3,
                3,
                List.of(),
                48);
        market = Market.open(config, SITE, MarketState.initial());
        CredentialStore store = CredentialStore.of(List.of(
                TestPrincipals.credential(AGENT, Role.AGENT, AGENT_PASSWORD),
                TestPrincipals.credential(OBSERVER, Role.OBSERVER, OBSERVER_PASSWORD),
                TestPrincipals.credential(FEED, Role.PRICE, FEED_PASSWORD)));
        endpoint = MqttEndpoint.start(
                TestPrincipals.config(4096, 30, 64), MqttLimits.defaults(), null, store, agents, null, registry);
        endpoint.usePrices(market.priceFeed(registry, clock, clock::nanoTime).orElseThrow());
        uri = "tcp://127.0.0.1:" + endpoint.localAddress().getPort();
    }

    @AfterEach
    void stop() {
        if (endpoint != null) {
            endpoint.close();
        }
        if (market != null) {
            market.close();
        }
    }

    private Client connect(String username, String password) throws MqttException {
        CompletableFuture<Integer> disconnected = new CompletableFuture<>();
        BlockingQueue<MqttMessage> inbox = new LinkedBlockingQueue<>();
        MqttAsyncClient client = new MqttAsyncClient(uri, username, new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse response) {
                disconnected.complete(response.getReturnCode());
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {}

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                inbox.add(message);
            }

            @Override
            public void deliveryComplete(IMqttToken token) {}

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {}

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {}
        });
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName(username);
        options.setPassword(password.getBytes(StandardCharsets.UTF_8));
        options.setCleanStart(true);
        options.setAutomaticReconnect(false);
        client.connect(options).waitForCompletion(10_000);
        return new Client(client, disconnected, inbox);
    }

    private static String price(Instant at, double value) {
        return "{\"time\": \"" + at + "\", \"value\": " + value + "}";
    }

    /** Publishes at QoS 1 and returns the PUBACK's reason code (Paho reports one of 0x80 or more as an exception). */
    private static int publish(Client client, String topic, String payload) throws MqttException {
        IMqttToken token =
                client.paho().publish(topic, new MqttMessage(payload.getBytes(StandardCharsets.UTF_8), 1, false, null));
        try {
            token.waitForCompletion(10_000);
        } catch (MqttException e) {
            return e.getReasonCode();
        }
        int[] codes = token.getReasonCodes();
        return codes == null || codes.length == 0 ? 0 : codes[0];
    }

    private static void publishExpectingDisconnect(Client client, String topic, String payload) {
        try {
            client.paho().publish(topic, new MqttMessage(payload.getBytes(StandardCharsets.UTF_8), 0, false, null));
        } catch (MqttException e) {
            // the disconnect may win the race
        }
    }

    private double count(String name, String tag, String value) {
        Counter counter = registry.find(name).tag(tag, value).counter();
        return counter == null ? 0 : counter.count();
    }

    private double dropped(String reason) {
        Counter counter = registry.find("headroom.market.mqtt.dropped")
                .tag("input", "energy-rt")
                .tag("reason", reason)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private static void closeQuietly(Client client) {
        try {
            client.paho().close(true);
        } catch (MqttException e) {
            // already gone
        }
    }

    @Test
    void pricesFromThePricePrincipal_reachTheMarket_andStrikeAModelAfterThreeIntervals() throws Exception {
        Client observer = connect(OBSERVER, OBSERVER_PASSWORD);
        observer.paho()
                .subscribe(new MqttSubscription[] {new MqttSubscription("headroom/v1/" + SITE + "/market/#", 1)})
                .waitForCompletion(10_000);
        Client feed = connect(FEED, FEED_PASSWORD);
        Instant ten = NOW.minus(Duration.ofMinutes(10));

        assertThat(publish(feed, HASHPRICE, price(ten, 50))).isZero();
        // 85 USD/MWh is above an S19's break-even (60.4) + margin 5: struck on the third interval.
        for (int i = 0; i < 3; i++) {
            assertThat(publish(feed, ENERGY, price(ten.plus(Duration.ofMinutes(5L * i)), 85)))
                    .isZero();
        }

        List<ModelEconomics> fleet = List.of(S19);
        assertThat(market.decide(ten, fleet).strikes()).isEmpty();
        assertThat(market.decide(ten.plus(Duration.ofMinutes(5)), fleet).strikes())
                .isEmpty();
        MarketDecision third = market.decide(NOW, fleet);
        assertThat(third.policy()).isEqualTo("prices");
        assertThat(third.strikes()).extracting(Strike::name).containsExactly("Antminer S19");
        assertThat(third.strikes().get(0).reason()).contains("85.0").contains("for 3 intervals");
        assertThat(market.inputs(NOW).get(MarketInput.ENERGY_RT)).contains(new PricePoint(NOW, 85));
        assertThat(count("headroom.mqtt.messages.received", "kind", "market-price"))
                .isEqualTo(4);
        assertThat(registry.get("headroom.mqtt.sessions")
                        .tag("role", "price")
                        .gauge()
                        .value())
                .isEqualTo(1);
        MqttMessage forwarded = observer.inbox().poll(10, TimeUnit.SECONDS);
        assertThat(forwarded).as("observers see the prices").isNotNull();
        assertThat(feed.disconnected()).isNotDone();
        feed.paho().disconnect().waitForCompletion(10_000);
        closeQuietly(feed);
        closeQuietly(observer);
    }

    @Test
    void anAgentOrObserverPublishingAPrice_isDisconnectedNotAuthorized_andThePriceIsNotTaken() throws Exception {
        Client agent = connect(AGENT, AGENT_PASSWORD);
        Client observer = connect(OBSERVER, OBSERVER_PASSWORD);

        publishExpectingDisconnect(agent, ENERGY, price(NOW, 9000));
        publishExpectingDisconnect(observer, ENERGY, price(NOW, 9000));

        assertThat(agent.disconnected().get(10, TimeUnit.SECONDS)).isEqualTo(0x87);
        assertThat(observer.disconnected().get(10, TimeUnit.SECONDS)).isEqualTo(0x87);
        assertThat(count("headroom.mqtt.violations", "reason", "not-authorized"))
                .isEqualTo(2);
        assertThat(market.inputs(NOW).get(MarketInput.ENERGY_RT)).isEmpty();
        closeQuietly(agent);
        closeQuietly(observer);
    }

    @Test
    void thePricePrincipal_maySubscribeToNothing_andPublishingAnAgentTopicOrAnInputNotOnMqttDisconnects()
            throws Exception {
        Client feed = connect(FEED, FEED_PASSWORD);
        IMqttToken subscribed = feed.paho().subscribe(new MqttSubscription[] {
            new MqttSubscription(ENERGY, 1),
            new MqttSubscription("headroom/v1/" + SITE + "/#", 1),
            new MqttSubscription(wire(AGENT, TopicKind.CMD), 1)
        });
        subscribed.waitForCompletion(10_000);
        assertThat(subscribed.getReasonCodes()).containsExactly(0x87, 0x87, 0x87);

        publishExpectingDisconnect(feed, wire(AGENT, TopicKind.DATA), "forged");
        assertThat(feed.disconnected().get(10, TimeUnit.SECONDS)).isEqualTo(0x87);
        assertThat(agents.messages()).isEmpty();

        Client again = connect(FEED, FEED_PASSWORD);
        publishExpectingDisconnect(again, Topics.marketPrice(SITE, "energy-da").toWire(), price(NOW, 1));
        assertThat(again.disconnected().get(10, TimeUnit.SECONDS)).isEqualTo(0x87);
        Client other = connect(FEED, FEED_PASSWORD);
        publishExpectingDisconnect(
                other, Topics.marketPrice("other-site", "energy-rt").toWire(), price(NOW, 1));
        assertThat(other.disconnected().get(10, TimeUnit.SECONDS)).isEqualTo(0x87);
        assertThat(count("headroom.mqtt.violations", "reason", "not-authorized"))
                .isEqualTo(3);
        closeQuietly(feed);
        closeQuietly(again);
        closeQuietly(other);
    }

    @Test
    void garbageOversizeFutureAndAFlood_areCountedDrops_answeredInThePubAck_andKeepTheLastGoodPrice() throws Exception {
        Client feed = connect(FEED, FEED_PASSWORD);
        assertThat(publish(feed, ENERGY, price(NOW, 40))).isZero();

        assertThat(publish(feed, ENERGY, "garbage")).isEqualTo(0x99);
        assertThat(publish(feed, ENERGY, "{\"time\": \"" + NOW + "\", \"value\": \"41\"}"))
                .isEqualTo(0x99);
        assertThat(publish(feed, ENERGY, price(NOW, 1e9))).isEqualTo(0x99);
        assertThat(publish(feed, ENERGY, " ".repeat(600) + price(NOW, 41))).isEqualTo(0x99);
        assertThat(publish(feed, ENERGY, price(NOW.plus(Duration.ofMinutes(2)), 41)))
                .isEqualTo(0x83);
        assertThat(publish(feed, ENERGY, price(NOW.minusSeconds(1), 41))).isEqualTo(0x83);
        // energy-rt takes 10 a minute: one taken above, 9 more, then every further one is a flood.
        for (int i = 1; i <= 9; i++) {
            assertThat(publish(feed, ENERGY, price(NOW.plusSeconds(i), 40 + i))).isZero();
        }
        for (int i = 10; i < 40; i++) {
            assertThat(publish(feed, ENERGY, price(NOW.plusSeconds(i), 40 + i))).isEqualTo(0x83);
        }

        assertThat(dropped("malformed")).isEqualTo(1);
        assertThat(dropped("wrong-type")).isEqualTo(1);
        assertThat(dropped("out-of-range")).isEqualTo(1);
        assertThat(dropped("too-large")).isEqualTo(1);
        assertThat(dropped("future")).isEqualTo(1);
        assertThat(dropped("out-of-order")).isEqualTo(1);
        assertThat(dropped("flood")).isEqualTo(30);
        assertThat(market.inputs(NOW.plusSeconds(60)).get(MarketInput.ENERGY_RT))
                .contains(new PricePoint(NOW.plusSeconds(9), 49));
        assertThat(feed.disconnected())
                .as("a bad price does not cost the connection")
                .isNotDone();
        feed.paho().disconnect().waitForCompletion(10_000);
        closeQuietly(feed);
    }
}
