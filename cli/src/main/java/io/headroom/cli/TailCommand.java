package io.headroom.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Message;
import io.headroom.protocol.MalformedPayloadException;
import io.headroom.protocol.MalformedTopicException;
import io.headroom.protocol.Topic;
import io.headroom.protocol.Topics;
import io.headroom.protocol.WireCodec;
import io.headroom.protocol.wire.Ack;
import io.headroom.protocol.wire.Birth;
import io.headroom.protocol.wire.ControllerState;
import io.headroom.protocol.wire.Data;
import io.headroom.protocol.wire.Death;
import io.headroom.protocol.wire.Result;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Decodes live Headroom traffic to one JSON object per line, as a read-only observer. */
@Command(
        name = "tail",
        description = {
            "Prints live Headroom traffic as JSON lines (one per MQTT message), decoded from protobuf.",
            "Connects as a read-only observer. Example:",
            "  ./headroom tail --url mqtt://127.0.0.1:1883 --site demo --username observer --password-file observer.password"
        })
final class TailCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = "--url",
            defaultValue = "mqtt://127.0.0.1:1883",
            description = "MQTT endpoint (default: ${DEFAULT-VALUE}).")
    URI url;

    @Option(names = "--site", required = true, description = "Site id.")
    String site;

    @Option(
            names = "--username",
            defaultValue = "observer",
            description = "Observer username (default: ${DEFAULT-VALUE}).")
    String username;

    @Option(names = "--password-file", required = true, description = "File whose first line is the password.")
    Path passwordFile;

    @Option(names = "--filter", description = "Topic filter (default: every topic of the site).")
    String filter;

    @Option(
            names = "--count",
            defaultValue = "0",
            description = "Stop after this many messages (0: run until interrupted).")
    int count;

    private final ObjectMapper json = new ObjectMapper();

    @Override
    public Integer call() throws IOException, MqttException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        String problem = Topics.idProblem(site);
        if (problem != null) {
            spec.commandLine().getErr().println("headroom: --site: " + problem);
            return 2;
        }
        String password = Files.readAllLines(passwordFile, StandardCharsets.UTF_8).stream()
                .findFirst()
                .orElse("")
                .strip();
        String serverUri = "tcp://" + url.getHost() + ':' + (url.getPort() < 0 ? 1883 : url.getPort());
        CountDownLatch done = new CountDownLatch(1);
        int[] printed = {0};
        MqttAsyncClient client = new MqttAsyncClient(serverUri, "tail-" + UUID.randomUUID(), new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
                synchronized (out) {
                    if (count > 0 && printed[0] >= count) {
                        return; // Already done; the disconnect is on its way.
                    }
                    out.println(render(topic, message.getPayload()));
                    out.flush();
                    if (count > 0 && ++printed[0] >= count) {
                        done.countDown();
                    }
                }
            }

            @Override
            public void disconnected(MqttDisconnectResponse response) {
                spec.commandLine()
                        .getErr()
                        .println("headroom: disconnected: " + response.getReasonString() + " (reason code "
                                + response.getReturnCode() + ")");
                done.countDown();
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
                spec.commandLine().getErr().println("headroom: MQTT error: " + exception.getMessage());
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
        try {
            client.connect(options).waitForCompletion(10_000);
            String topicFilter = filter != null ? filter : Topics.ROOT + '/' + site + "/#";
            client.subscribe(topicFilter, 1).waitForCompletion(10_000);
            spec.commandLine().getErr().println("headroom: tailing " + topicFilter + " on " + serverUri);
            done.await();
        } catch (MqttException e) {
            spec.commandLine().getErr().println("headroom: cannot tail " + serverUri + ": " + e.getMessage());
            return 1;
        } finally {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(5_000);
            }
            client.close();
        }
        return 0;
    }

    /** One JSON line for one message; undecodable ones are shown as such, never dropped silently. */
    String render(String topic, byte[] payload) {
        ObjectNode line = json.createObjectNode();
        line.put("receivedAt", Instant.now().toString());
        line.put("topic", topic);
        try {
            Topic parsed = Topics.parse(topic);
            if (parsed instanceof Topic.GridSignalTopic) {
                // JSON from outside Headroom, not protocol buffers: shown as text, never trusted as JSON.
                line.put("type", "GridSignal");
                line.put("text", new String(payload, StandardCharsets.UTF_8));
                return line.toString();
            }
            Class<? extends Message> type = typeOf(parsed);
            line.put("type", type.getSimpleName());
            line.set("message", ProtoJson.toJson(WireCodec.decode(payload, type)));
        } catch (MalformedTopicException | MalformedPayloadException e) {
            line.put("error", e.getMessage());
            line.put("bytes", payload.length);
        }
        return line.toString();
    }

    private static Class<? extends Message> typeOf(Topic topic) {
        if (topic instanceof Topic.ControllerStateTopic) {
            return ControllerState.class;
        }
        switch (((Topic.AgentTopic) topic).kind()) {
            case BIRTH:
                return Birth.class;
            case DATA:
                return Data.class;
            case RESULT:
                return Result.class;
            case DEATH:
                return Death.class;
            case CMD:
                return io.headroom.protocol.wire.Command.class;
            case ACK:
                return Ack.class;
            default:
                throw new AssertionError(topic);
        }
    }
}
