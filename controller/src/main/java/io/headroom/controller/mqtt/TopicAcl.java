package io.headroom.controller.mqtt;

import io.headroom.protocol.MalformedTopicException;
import io.headroom.protocol.Topic;
import io.headroom.protocol.TopicKind;
import io.headroom.protocol.Topics;
import java.util.Set;

/**
 * Who may publish and subscribe where, for one site.
 *
 * <ul>
 *   <li>An agent publishes only on its own {@code birth}, {@code data}, {@code result} and
 *       {@code death} topics, and subscribes only to exactly its own {@code cmd} and {@code ack}
 *       and the site's controller state topic (no wildcards).
 *   <li>An observer never publishes and subscribes to any valid filter under
 *       {@code headroom/v1/<site>/}.
 *   <li>A grid principal publishes only on exactly {@code headroom/v1/<site>/grid/signal} and
 *       subscribes to nothing; no one else may publish there.
 *   <li>A price principal publishes only on {@code headroom/v1/<site>/market/<input>} (whether the
 *       input takes MQTT prices is the market's to say) and subscribes to nothing; no one else may
 *       publish there.
 * </ul>
 */
final class TopicAcl {
    /** Outcome of a subscription request; codes are MQTT 5 SUBACK reason codes. */
    enum SubscribeDecision {
        GRANTED(0x00),
        NOT_AUTHORIZED(0x87),
        TOPIC_FILTER_INVALID(0x8F),
        SHARED_SUBSCRIPTIONS_NOT_SUPPORTED(0x9E);

        private final int reasonCode;

        SubscribeDecision(int reasonCode) {
            this.reasonCode = reasonCode;
        }

        int reasonCode() {
            return reasonCode;
        }
    }

    private static final String SHARED_PREFIX = "$share/";

    private final String site;
    private final String sitePrefix;
    private final String stateTopic;
    private final String gridSignalTopic;

    TopicAcl(String site) {
        this.site = site;
        this.sitePrefix = Topics.ROOT + '/' + site + '/';
        this.stateTopic = Topics.controllerState(site).toWire();
        this.gridSignalTopic = Topics.gridSignal(site).toWire();
    }

    /**
     * The topic {@code username} may publish on: for an agent one of its own agent-to-controller
     * topics, for a grid principal the site's grid signal topic, for a price principal one of the
     * site's market price topics. {@code null} for anything else,
     * and always for an observer.
     */
    Topic publishable(Role role, String username, String topicName) {
        if (role == Role.GRID) {
            return gridSignalTopic.equals(topicName) ? Topics.gridSignal(site) : null;
        }
        if (role != Role.AGENT && role != Role.PRICE) {
            return null;
        }
        Topic topic;
        try {
            topic = Topics.parse(topicName);
        } catch (MalformedTopicException e) {
            return null;
        }
        if (role == Role.PRICE) {
            return topic instanceof Topic.MarketPriceTopic price && price.site().equals(site) ? price : null;
        }
        if (topic instanceof Topic.AgentTopic agentTopic
                && agentTopic.site().equals(site)
                && agentTopic.agent().equals(username)
                && agentTopic.kind().direction() == TopicKind.Direction.FROM_AGENT) {
            return agentTopic;
        }
        return null;
    }

    SubscribeDecision subscribe(Role role, String username, String filter) {
        if (filter != null && filter.startsWith(SHARED_PREFIX)) {
            return SubscribeDecision.SHARED_SUBSCRIPTIONS_NOT_SUPPORTED;
        }
        if (TopicFilter.problem(filter) != null) {
            return SubscribeDecision.TOPIC_FILTER_INVALID;
        }
        if (role == Role.AGENT) {
            return agentSubscriptions(username).contains(filter)
                    ? SubscribeDecision.GRANTED
                    : SubscribeDecision.NOT_AUTHORIZED;
        }
        if (role != Role.OBSERVER) {
            return SubscribeDecision.NOT_AUTHORIZED; // a grid or price principal only publishes
        }
        return filter.startsWith(sitePrefix) ? SubscribeDecision.GRANTED : SubscribeDecision.NOT_AUTHORIZED;
    }

    /** The only Will an agent may leave: its own death topic, QoS 0 or 1, not retained. No one else may leave one. */
    boolean willAllowed(Role role, String username, String willTopic, int willQos, boolean willRetain) {
        return role == Role.AGENT
                && Topics.agent(site, username, TopicKind.DEATH).toWire().equals(willTopic)
                && willQos <= 1
                && !willRetain;
    }

    /** The wire name of an agent's birth topic, whose latest message the endpoint retains. */
    String birthTopic(String agent) {
        return Topics.agent(site, agent, TopicKind.BIRTH).toWire();
    }

    Topic.AgentTopic deathTopic(String username) {
        return Topics.agent(site, username, TopicKind.DEATH);
    }

    private Set<String> agentSubscriptions(String username) {
        return Set.of(
                Topics.agent(site, username, TopicKind.CMD).toWire(),
                Topics.agent(site, username, TopicKind.ACK).toWire(),
                stateTopic);
    }
}
