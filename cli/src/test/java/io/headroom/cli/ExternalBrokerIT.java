package io.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.headroom.agent.Agent;
import io.headroom.controller.Controller;
import io.headroom.controller.command.CommandState;
import io.headroom.controller.command.CommandView;
import io.headroom.controller.config.ControllerConfigLoader;
import io.headroom.controller.store.DeviceState;
import io.headroom.controller.store.DeviceView;
import io.headroom.protocol.wire.Verb;
import io.headroom.testkit.CuttableTcpProxy;
import io.headroom.testkit.MosquittoProcess;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path in external broker mode, with real agents: the demo's agents (simulated miners,
 * on-disk outboxes) connect through a cuttable proxy to a real Mosquitto, which enforces the ACL
 * {@code headroom broker-acl} wrote; the controller is a client of the same Mosquitto. Birth makes
 * the devices ONLINE, Data is applied, a command reaches its agent and the result comes back; the
 * broker is stopped while the agents keep polling into their outboxes, started again on the same
 * port, and every sequence is acknowledged (no outbox keeps anything, the outage's readings arrive
 * as historical); cut connections make Mosquitto publish the agents' Wills, which the controller
 * takes as their Deaths, and the agents come back.
 *
 * <p>This Mosquitto checks no passwords (no {@code password_file}; {@code BrokerTransportIT} covers
 * them): the ACL still applies to the username each client gives.
 */
@Timeout(180)
class ExternalBrokerIT {

    private static final String SITE = "ext";
    private static final int MINERS = 4;
    private static final String HASH = "pbkdf2-sha256$1000$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNo";

    @TempDir
    Path workDir;

    @TempDir
    Path brokerDir;

    private MosquittoProcess broker;
    private CuttableTcpProxy proxy;
    private Controller controller;
    private DemoSite demo;

    @AfterEach
    void stopAll() throws Exception {
        if (demo != null) {
            demo.close();
        }
        if (controller != null) {
            controller.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void agentsThroughMosquitto_online_commanded_survivingABrokerRestartWithNothingLost_andTheirWills()
            throws Exception {
        // The ACL first, by the CLI, from a controller.yaml naming the principals the demo will use.
        Files.writeString(
                brokerDir.resolve("credentials"),
                "rack-1 agent " + HASH + "\nrack-2 agent " + HASH + "\n" + DemoSite.OBSERVER + " observer " + HASH
                        + "\n");
        Files.writeString(brokerDir.resolve("controller.password"), "unchecked-here\n");
        Path aclYaml = Files.writeString(brokerDir.resolve("acl-controller.yaml"), controllerYaml("tcp://127.0.0.1:1"));
        StringWriter err = new StringWriter();
        int exit = Headroom.commandLine()
                .setErr(new PrintWriter(err))
                .execute(
                        "broker-acl",
                        "--config",
                        aclYaml.toString(),
                        "--output",
                        brokerDir.resolve("headroom.acl").toString());
        assertThat(exit).as(err.toString()).isZero();

        broker = MosquittoProcess.start(
                brokerDir,
                "allow_anonymous true",
                "acl_file " + brokerDir.resolve("headroom.acl").toAbsolutePath());
        proxy = new CuttableTcpProxy(broker.port());
        Path yaml = Files.writeString(brokerDir.resolve("controller.yaml"), controllerYaml(broker.url()));
        controller = Controller.start(ControllerConfigLoader.load(yaml), Clock.systemUTC());
        await().atMost(Duration.ofSeconds(20))
                .until(() -> controller.broker().orElseThrow().connected());

        demo = DemoSite.startWithoutController(new DemoOptions(
                SITE, MINERS, 2, "127.0.0.1", freePort(), proxy.port(), 7L, Duration.ofSeconds(1), workDir));
        List<String> miners =
                IntStream.range(0, MINERS).mapToObj(DemoSite::minerId).toList();

        // Birth: every device ONLINE; Data: readings applied.
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> miners.forEach(id -> {
                    var known = controller.store().device(id);
                    assertThat(known).as(id + " born").isPresent();
                    DeviceView device = known.get();
                    assertThat(device.status()).as(id).isEqualTo(DeviceState.ONLINE);
                    assertThat(device.metric("power")).as(id).isNotNull();
                }));
        assertThat(controller.ingest().connectedAgents()).isEqualTo(2);

        // A command from the controller reaches the agent; its result comes back.
        CommandView sent = controller.commands().send(miners.get(0), Verb.VERB_SLEEP, null, "", Duration.ofSeconds(60));
        await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> controller
                                .commands()
                                .command(sent.commandId())
                                .orElseThrow()
                                .state(),
                        state -> EnumSet.of(CommandState.ACCEPTED, CommandState.APPLIED)
                                .contains(state));

        // Broker restart: the agents keep polling into their outboxes meanwhile.
        double historicalBefore = counter("headroom.ingest.samples", "outcome", "historical");
        broker.stop();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> demo.agents().stream().allMatch(agent -> !agent.connected() && agent.unackedCount() > 1));
        assertThat(controller.broker().orElseThrow().connected()).isFalse();
        broker.start();

        // Every sequence acknowledged: the controller acks only what it holds without a gap, and an
        // agent drops from its outbox only what an ack covers.
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> demo.agents().stream().allMatch(agent -> agent.connected() && agent.unackedCount() == 0));
        assertThat(counter("headroom.ingest.samples", "outcome", "historical"))
                .as("the outage's readings, replayed from the outboxes")
                .isGreaterThan(historicalBefore);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> miners.forEach(id -> assertThat(
                                controller.store().device(id).orElseThrow().status())
                        .as(id)
                        .isEqualTo(DeviceState.ONLINE)));
        assertThat(counter("headroom.broker.outages")).isEqualTo(1);

        // Agents' connections cut (as when their processes are killed): Mosquitto publishes their
        // Wills, the controller takes them as Deaths; the agents reconnect and are born again.
        double deathsBefore = counter("headroom.ingest.messages", "kind", "death", "outcome", "accepted");
        proxy.cutAll();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> counter("headroom.ingest.messages", "kind", "death", "outcome", "accepted")
                        >= deathsBefore + 2);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            miners.forEach(
                    id -> assertThat(controller.store().device(id).orElseThrow().status())
                            .as(id)
                            .isEqualTo(DeviceState.ONLINE));
            assertThat(controller.ingest().connectedAgents()).isEqualTo(2);
        });
        for (Agent agent : demo.agents()) {
            assertThat(agent.controllerOnline()).as(agent.config().agentId()).isTrue();
        }
    }

    private String controllerYaml(String url) {
        return "site: " + SITE + "\n"
                + "controller-id: ext-controller\n"
                + "mqtt:\n"
                + "  mode: external\n"
                + "  credentials-file: credentials\n"
                + "  external:\n"
                + "    url: " + url + "\n"
                + "    username: headroom-controller\n"
                + "    password: {file: controller.password}\n"
                + "    keep-alive: 5s\n"
                + "    reconnect-min: 50ms\n"
                + "    reconnect-max: 500ms\n"
                + "http:\n"
                + "  port: 0\n"
                + "  tls:\n"
                + "    mode: off\n"
                + "  users:\n"
                + "    - {name: operator, role: operator, password-hash: \"" + HASH + "\"}\n"
                + "data-dir: " + brokerDir.resolve("data") + "\n";
    }

    private double counter(String name, String... tags) {
        var search = controller.registry().find(name);
        for (int i = 0; i + 1 < tags.length; i += 2) {
            search = search.tag(tags[i], tags[i + 1]);
        }
        var counter = search.counter();
        return counter == null ? 0 : counter.count();
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
