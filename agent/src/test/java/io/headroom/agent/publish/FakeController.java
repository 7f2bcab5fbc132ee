package io.headroom.agent.publish;

import io.headroom.protocol.Topic;
import io.headroom.protocol.TopicKind;
import io.headroom.protocol.Topics;
import io.headroom.protocol.WireCodec;
import io.headroom.protocol.wire.Ack;
import io.headroom.protocol.wire.Birth;
import io.headroom.protocol.wire.Command;
import io.headroom.protocol.wire.ControllerState;
import io.headroom.protocol.wire.Data;
import io.headroom.protocol.wire.Death;
import io.headroom.protocol.wire.Result;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * Stands in for the controller (another module): a Paho v5 client with a persistent session that
 * records every Birth, Data, Result and Death of the site's agents, in arrival order, and sends
 * acks and commands. It reconnects on its own after a broker restart; the broker keeps its
 * subscription and queues what arrives meanwhile.
 */
public final class FakeController implements AutoCloseable {
    private final String site;
    private final MqttClient client;
    /** Everything received, in order: Birth, Data, Result or Death. */
    public final List<Object> received = new CopyOnWriteArrayList<>();

    public FakeController(String url, String site) throws MqttException {
        this(url, site, null);
    }

    /** Connects over TLS with this socket factory (null: plaintext, or Paho's default for ssl://). */
    public FakeController(String url, String site, SSLSocketFactory tls) throws MqttException {
        this.site = site;
        this.client = new MqttClient(url, "fake-controller", new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) throws Exception {
                Topic parsed = Topics.parse(topic);
                if (parsed instanceof Topic.AgentTopic agentTopic) {
                    switch (agentTopic.kind()) {
                        case BIRTH -> received.add(WireCodec.decode(message.getPayload(), Birth.class));
                        case DATA -> received.add(WireCodec.decode(message.getPayload(), Data.class));
                        case RESULT -> received.add(WireCodec.decode(message.getPayload(), Result.class));
                        case DEATH -> received.add(WireCodec.decode(message.getPayload(), Death.class));
                        default -> {}
                    }
                }
            }

            @Override
            public void disconnected(MqttDisconnectResponse response) {}

            @Override
            public void mqttErrorOccurred(MqttException exception) {}

            @Override
            public void deliveryComplete(IMqttToken token) {}

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {}

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {}
        });
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(false); // the session (subscription, queue) outlives a broker restart
        options.setSessionExpiryInterval(600L);
        options.setAutomaticReconnect(true);
        options.setAutomaticReconnectDelay(1, 1);
        if (tls != null) {
            options.setSocketFactory(tls);
            options.setHttpsHostnameVerificationEnabled(true);
        }
        client.connect(options);
        client.subscribe("headroom/v1/" + site + "/+/+", 1);
    }

    public List<Birth> births() {
        return of(Birth.class);
    }

    public List<Data> data() {
        return of(Data.class);
    }

    public List<Result> results() {
        return of(Result.class);
    }

    public List<Death> deaths() {
        return of(Death.class);
    }

    /** Every seq of Births, Data and Results received, in arrival order. */
    public List<Long> seqs() {
        return received.stream()
                .map(m -> m instanceof Birth b
                        ? b.getSeq()
                        : m instanceof Data d ? d.getSeq() : m instanceof Result r ? r.getSeq() : -1L)
                .filter(seq -> seq >= 0)
                .toList();
    }

    private <T> List<T> of(Class<T> type) {
        return received.stream().filter(type::isInstance).map(type::cast).toList();
    }

    public void ack(String agent, long bootId, long seq) throws MqttException {
        publish(
                agent,
                TopicKind.ACK,
                WireCodec.encode(Ack.newBuilder().setBootId(bootId).setSeq(seq).build()),
                null);
    }

    public void askRebirth(String agent, long bootId, long seq) throws MqttException {
        publish(
                agent,
                TopicKind.ACK,
                WireCodec.encode(Ack.newBuilder()
                        .setBootId(bootId)
                        .setSeq(seq)
                        .setRebirth(true)
                        .setRebirthReason("sequence-gap")
                        .build()),
                null);
    }

    public void command(String agent, Command command, Long expirySeconds) throws MqttException {
        publish(agent, TopicKind.CMD, WireCodec.encode(command), expirySeconds);
    }

    public void raw(String agent, TopicKind kind, byte[] payload) throws MqttException {
        publish(agent, kind, payload, null);
    }

    public void state(ControllerState state) throws MqttException {
        MqttMessage message = new MqttMessage(WireCodec.encode(state));
        message.setQos(1);
        message.setRetained(true);
        client.publish(Topics.controllerState(site).toWire(), message);
    }

    private void publish(String agent, TopicKind kind, byte[] payload, Long expirySeconds) throws MqttException {
        MqttMessage message = new MqttMessage(payload);
        message.setQos(1);
        if (expirySeconds != null) {
            MqttProperties properties = new MqttProperties();
            properties.setMessageExpiryInterval(expirySeconds);
            message.setProperties(properties);
        }
        client.publish(Topics.agent(site, agent, kind).toWire(), message);
    }

    @Override
    public String toString() {
        return "FakeController[connected=" + client.isConnected() + "]";
    }

    @Override
    public void close() throws MqttException {
        try {
            if (client.isConnected()) {
                client.disconnect();
            }
        } finally {
            client.close(true);
        }
    }
}
