package io.headroom.controller.broker;

import io.headroom.controller.grid.signal.GridSignalReceiver;
import io.headroom.controller.market.MarketPriceFeed;
import io.headroom.protocol.MalformedTopicException;
import io.headroom.protocol.Topic;
import io.headroom.protocol.TopicKind;
import io.headroom.protocol.Topics;
import java.nio.ByteBuffer;
import org.jspecify.annotations.Nullable;

/**
 * Routes what the broker delivers: an agent's own topics to ingest (through {@link AgentLiveness}),
 * the grid signal to its receiver and market prices to the feed, each only when configured.
 * Anything else (a topic that does not parse, another site's, a controller-to-agent kind, a signal
 * nobody takes) is a counted drop; nothing here throws.
 *
 * <p>On a broker the controller cannot see who published: the broker's ACL ({@link MosquittoAcl})
 * is what keeps an agent to its own topics, so a message here is taken as from the principal its
 * topic names. Signals and prices are recorded as from {@link #BROKER_PRINCIPAL}.
 */
final class BrokerInbound {
    /** Who a grid signal or price is recorded as coming from: the broker does not say. */
    static final String BROKER_PRINCIPAL = "broker";

    private final String site;
    private final AgentLiveness liveness;
    private final BrokerMetrics metrics;
    private final @Nullable GridSignalReceiver gridSignals;
    private volatile @Nullable MarketPriceFeed prices;

    BrokerInbound(
            String site, AgentLiveness liveness, BrokerMetrics metrics, @Nullable GridSignalReceiver gridSignals) {
        this.site = site;
        this.liveness = liveness;
        this.metrics = metrics;
        this.gridSignals = gridSignals;
    }

    void usePrices(@Nullable MarketPriceFeed feed) {
        this.prices = feed;
    }

    void onMessage(String topicName, byte[] payload) {
        Topic topic;
        try {
            topic = Topics.parse(topicName);
        } catch (MalformedTopicException e) {
            metrics.dropped(BrokerMetrics.DROP_TOPIC);
            return;
        }
        ByteBuffer buffer = ByteBuffer.wrap(payload).asReadOnlyBuffer();
        if (topic instanceof Topic.AgentTopic agentTopic
                && agentTopic.site().equals(site)
                && agentTopic.kind().direction() == TopicKind.Direction.FROM_AGENT) {
            metrics.received(agentTopic.kind());
            liveness.deliver(agentTopic, buffer);
        } else if (topic instanceof Topic.GridSignalTopic grid && grid.site().equals(site) && gridSignals != null) {
            metrics.receivedGridSignal();
            gridSignals.receive(buffer, BROKER_PRINCIPAL);
        } else if (topic instanceof Topic.MarketPriceTopic price && price.site().equals(site)) {
            MarketPriceFeed feed = prices;
            if (feed == null || !feed.takes(price.input())) {
                metrics.dropped(BrokerMetrics.DROP_NOT_TAKEN);
                return;
            }
            metrics.receivedPrice();
            feed.receive(price.input(), buffer, BROKER_PRINCIPAL);
        } else {
            metrics.dropped(BrokerMetrics.DROP_TOPIC);
        }
    }
}
