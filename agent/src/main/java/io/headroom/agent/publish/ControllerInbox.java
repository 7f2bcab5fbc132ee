package io.headroom.agent.publish;

import io.headroom.protocol.MalformedPayloadException;
import io.headroom.protocol.MalformedTopicException;
import io.headroom.protocol.Topic;
import io.headroom.protocol.TopicKind;
import io.headroom.protocol.Topics;
import io.headroom.protocol.WireCodec;
import io.headroom.protocol.wire.Ack;
import io.headroom.protocol.wire.ControllerState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Consumer;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the controller sends the agent, decoded: the retained controller state (kept here), acks
 * (handed to the publisher's thread) and commands (handed to the command executor). A message
 * that cannot be decoded is counted and dropped, never thrown at Paho.
 *
 * <p>Kept apart from {@link MqttPublisher}, which only sends: this is the receiving half of the
 * protocol. Called on Paho's thread; it must never block, so it only decodes and hands off.
 * Logs under {@link MqttPublisher}'s logger, as before the split.
 */
final class ControllerInbox {
    private final Logger logger = LoggerFactory.getLogger(MqttPublisher.class);
    private final Consumer<MqttPublisher.IncomingCommand> commands;
    private final Consumer<Ack> acks;
    private final Counter malformedAcks;
    private final Counter malformedStates;
    private volatile ControllerStateReceipt controllerState;

    /**
     * @param commands receives each command; called on Paho's thread and must hand off at once
     * @param acks receives each ack; called on Paho's thread and must hand off at once
     */
    ControllerInbox(Consumer<MqttPublisher.IncomingCommand> commands, Consumer<Ack> acks, MeterRegistry registry) {
        this.commands = commands;
        this.acks = acks;
        this.malformedAcks = Counter.builder("headroom.agent.messages.malformed")
                .tag("kind", "ack")
                .description("Messages from the controller that could not be decoded; dropped")
                .register(registry);
        this.malformedStates = Counter.builder("headroom.agent.messages.malformed")
                .tag("kind", "state")
                .description("Messages from the controller that could not be decoded; dropped")
                .register(registry);
    }

    /** The last controller state received (retained), or {@code null} before any. Thread-safe. */
    ControllerState controllerState() {
        ControllerStateReceipt receipt = controllerState;
        return receipt == null ? null : receipt.state();
    }

    /** The last controller state with its monotonic receipt time, or {@code null} before any. Thread-safe. */
    ControllerStateReceipt controllerStateReceipt() {
        return controllerState;
    }

    void onMessage(String topicName, MqttMessage message) {
        Topic topic;
        try {
            topic = Topics.parse(topicName);
        } catch (MalformedTopicException e) {
            logger.debug("ignoring message on {}", topicName);
            return;
        }
        try {
            if (topic instanceof Topic.ControllerStateTopic) {
                ControllerState state = WireCodec.decode(message.getPayload(), ControllerState.class);
                ControllerState previous = controllerState();
                controllerState = new ControllerStateReceipt(state, System.nanoTime());
                if (previous == null || previous.getOnline() != state.getOnline()) {
                    logger.info(
                            "controller {} is {}", state.getControllerId(), state.getOnline() ? "online" : "offline");
                }
            } else if (!(topic instanceof Topic.AgentTopic agentTopic)) {
                logger.debug("ignoring message on {}", topicName); // the grid signal is the controller's
            } else if (agentTopic.kind() == TopicKind.ACK) {
                Ack ack = WireCodec.decode(message.getPayload(), Ack.class);
                acks.accept(ack);
            } else if (agentTopic.kind() == TopicKind.CMD) {
                Long expiry = message.getProperties() == null
                        ? null
                        : message.getProperties().getMessageExpiryInterval();
                commands.accept(new MqttPublisher.IncomingCommand(message.getPayload(), System.nanoTime(), expiry));
            }
        } catch (MalformedPayloadException e) {
            (topic instanceof Topic.ControllerStateTopic ? malformedStates : malformedAcks).increment();
            logger.warn("dropping a malformed message on {}: {}", topicName, e.getMessage());
        }
    }
}
