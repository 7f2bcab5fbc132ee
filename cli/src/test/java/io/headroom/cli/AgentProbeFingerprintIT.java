package io.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.agent.config.AgentConfig;
import io.headroom.agent.config.AgentConfigLoader;
import io.headroom.simulator.antminer.SimulatedAntminer;
import io.headroom.simulator.braiins.SimulatedBraiins;
import io.headroom.simulator.cgminer.CgminerRpcServer;
import io.headroom.simulator.cgminer.Faults;
import io.headroom.simulator.cgminer.LuxosRpc;
import io.headroom.simulator.gpu.GpuServerModel;
import io.headroom.simulator.gpu.GpuSpec;
import io.headroom.simulator.gpu.SimulatedRedfishServer;
import io.headroom.simulator.miner.MinerIdentity;
import io.headroom.simulator.miner.MinerModel;
import io.headroom.simulator.miner.MinerSpec;
import io.headroom.simulator.snmp.SnmpEndpoint;
import io.headroom.simulator.snmp.SnmpObject;
import io.headroom.simulator.vnish.SimulatedVnish;
import io.headroom.simulator.whatsminer.SimulatedWhatsminer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;

/**
 * {@code headroom agent probe <host>} with no protocol named: every protocol is asked at once, each port option
 * pointed at a simulator (LuxOS on the RPC port, Whatsminer API v2 and v3, Antminer stock web, Braiins OS, Vnish, a
 * GPU server's Redfish BMC), at a closed port, or at a port that accepts and never answers. The SNMP port is a
 * Linux host's net-snmp agent that matches no profile, so that SNMP answers at once instead of costing each test
 * its timeout.
 */
@Timeout(60)
class AgentProbeFingerprintIT {
    private static final Instant T0 = Instant.now();
    private static final String WEB_PASSWORD = "web-Pa55";
    private static final String BMC_USER = "headroom";
    private static final String BMC_PASSWORD = "bmc-s3cret";

    private static CgminerRpcServer rpc;
    private static int luxosPort;
    private static SimulatedWhatsminer whatsminer;
    private static SimulatedAntminer antminer;
    private static SimulatedBraiins braiins;
    private static SimulatedVnish vnish;
    private static SimulatedRedfishServer bmc;
    private static SnmpEndpoint netSnmp;
    private static ServerSocket hung;
    private static final List<Socket> held = new CopyOnWriteArrayList<>();
    private static int closed;
    private static int closedUdp;

    @TempDir
    static Path dir;

    private static Path passwordFile;
    private static Path wrongPasswordFile;
    private static Path bmcPasswordFile;
    private static Path caFile;

    @BeforeAll
    static void start() throws Exception {
        rpc = CgminerRpcServer.start("probe-it");
        luxosPort = rpc.listen(
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                        new LuxosRpc(
                                new MinerModel(MinerSpec.S19_XP, 3, 25.0, T0),
                                MinerIdentity.generate(3, 0),
                                Clock.systemUTC(),
                                3),
                        new Faults())
                .port();
        whatsminer =
                new SimulatedWhatsminer(SimulatedWhatsminer.M30S_PLUS_PLUS, 5, Clock.systemUTC(), "admin", "super");
        antminer = new SimulatedAntminer(SimulatedAntminer.S21, 7, Clock.systemUTC(), WEB_PASSWORD);
        braiins = new SimulatedBraiins(SimulatedBraiins.S19_XP, 9, Clock.systemUTC(), WEB_PASSWORD);
        vnish = new SimulatedVnish(SimulatedVnish.S19_PRO, 11, Clock.systemUTC(), WEB_PASSWORD);
        bmc = SimulatedRedfishServer.start(
                new GpuServerModel(GpuSpec.hgxH100(), 13, 0.85, 25, T0),
                Clock.systemUTC(),
                "1U",
                BMC_USER,
                BMC_PASSWORD);
        netSnmp = SnmpEndpoint.start(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                "public",
                "private",
                List.of(
                        SnmpObject.readOnly("1.3.6.1.2.1.1.1.0", () -> new OctetString("Linux gw 6.1.0-13-amd64")),
                        SnmpObject.readOnly("1.3.6.1.2.1.1.2.0", () -> new OID("1.3.6.1.4.1.8072.3.2.10"))));
        // A port that accepts every connection and never says a word (a hung firmware, a tarpit).
        hung = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(
                () -> {
                    while (!hung.isClosed()) {
                        try {
                            held.add(hung.accept());
                        } catch (IOException e) {
                            // closed at the end
                        }
                    }
                },
                "probe-it-hung");
        acceptor.setDaemon(true);
        acceptor.start();
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            closedUdp = socket.getLocalPort();
        }
        passwordFile = Files.writeString(dir.resolve("web.password"), WEB_PASSWORD + "\n");
        wrongPasswordFile = Files.writeString(dir.resolve("wrong.password"), "guess\n");
        bmcPasswordFile = Files.writeString(dir.resolve("bmc.password"), BMC_PASSWORD + "\n");
        caFile = Files.writeString(dir.resolve("bmc-ca.pem"), bmc.certificatePem(), StandardCharsets.US_ASCII);
    }

    @AfterAll
    static void stop() throws Exception {
        hung.close();
        for (Socket socket : held) {
            socket.close();
        }
        netSnmp.close();
        bmc.close();
        vnish.close();
        braiins.close();
        antminer.close();
        whatsminer.close();
        rpc.close();
    }

    @Test
    void luxosOnTheRpcPort_isIdentifiedAndRead_andTheOtherProtocolsAreListed() {
        Run run = probe(ports().rpc(luxosPort));
        assertThat(run.exit).as(run.out + run.err).isZero();
        assertThat(run.out)
                .contains("127.0.0.1:" + luxosPort + " is luxor/luxos: ")
                .contains("kind       miner")
                .contains("status     ONLINE")
                .contains("  sleep ")
                .containsPattern("\\n  power +[0-9]{4}(\\.[0-9]+)? W")
                .containsPattern("\\nalso answers: snmp 127.0.0.1:" + netSnmp.port() + ": matches no snmp profile .*\\n"
                        + "no answer: ")
                .contains("no answer: http 127.0.0.1:" + closed + " (connection-refused")
                .contains("no answer: whatsminer-v3 127.0.0.1:" + closed + " (connection-refused");
        assertThat(run.err).isEmpty();
    }

    @Test
    void whatsminerV3_isPreferredToItsV2OnTheRpcPort() {
        Run run = probe(ports().rpc(whatsminer.v2Port()).whatsminerV3(whatsminer.v3Port()));
        assertThat(run.exit).as(run.out + run.err).isZero();
        assertThat(run.out)
                .contains("127.0.0.1:" + whatsminer.v3Port() + " is microbt/whatsminer-v3: ")
                .contains("model      Whatsminer M30S++")
                .containsPattern("\\n  power +[0-9]{4}(\\.[0-9]+)? W")
                .contains("also answers: rpc 127.0.0.1:" + whatsminer.v2Port() + " as microbt/whatsminer-v2");
    }

    @Test
    void antminerStockWeb_withAPasswordFile_isReadThroughItsWebApi() throws Exception {
        Run run = probe(ports().http(antminer.port()), "--password-file", passwordFile.toString());
        assertThat(run.exit).as(run.out + run.err).isZero();
        assertThat(run.out)
                .contains("127.0.0.1:" + antminer.port() + " is antminer/stock-web: ")
                .contains("status     ONLINE")
                .containsPattern("\\n  power +[0-9]{4}(\\.[0-9]+)? W");

        Run yaml = probe(ports().http(antminer.port()), "--password-file", passwordFile.toString(), "--yaml");
        assertThat(yaml.exit).as(yaml.out + yaml.err).isZero();
        assertThat(yaml.out)
                .contains("  - id: miner-127-0-0-1\n    profile: antminer/stock-web\n"
                        + "    credentials: {file: /etc/headroom/miner-127-0-0-1.password}\n    antminer-web:\n"
                        + "      host: '127.0.0.1'\n      port: " + antminer.port() + "\n")
                .contains("# also answers: snmp ")
                .doesNotContain(WEB_PASSWORD);
        Files.writeString(dir.resolve("agent.password"), "x\n");
        String agentYaml = "agent-id: rack-1\nsite: demo\nmqtt:\n  url: tcp://127.0.0.1:1883\n"
                + "  password: {file: agent.password}\ndevices:\n"
                + yaml.out.replace("/etc/headroom/miner-127-0-0-1.password", passwordFile.toString());
        AgentConfig config = AgentConfigLoader.load(Files.writeString(dir.resolve("agent.yaml"), agentYaml));
        assertThat(config.devices()).singleElement().satisfies(device -> {
            assertThat(device.profile()).isEqualTo("antminer/stock-web");
            assertThat(device.driver()).isEqualTo("antminer-web");
            assertThat(device.credentials()).isPresent();
        });
    }

    @Test
    void antminerStockWeb_withoutAPasswordFile_isRecognised_andExitsWithTheCredentialsCode() {
        int before = antminer.requests();
        Run run = probe(ports().rpc(luxosPort).http(antminer.port()));
        assertThat(run.exit).as(run.out + run.err).isEqualTo(AgentProbeCommand.EXIT_CREDENTIALS);
        assertThat(run.err)
                .contains("127.0.0.1:" + antminer.port() + " answers as Antminer stock firmware (Digest realm"
                        + " \"antMiner Configuration\"); give --password-file to identify its profile and read it.")
                .contains("also answers: rpc 127.0.0.1:" + luxosPort + " as luxor/luxos");
        assertThat(run.out).isEmpty();
        assertThat(antminer.requests() - before).as("one GET /, no login tried").isEqualTo(1);
        assertNoStackTrace(run);
    }

    @Test
    void aWrongPassword_isSaidPlainly() {
        Run run = probe(ports().http(antminer.port()), "--password-file", wrongPasswordFile.toString());
        assertThat(run.exit).as(run.out + run.err).isEqualTo(AgentProbeCommand.EXIT_CREDENTIALS);
        assertThat(run.err)
                .contains("answers as Antminer stock firmware")
                .contains("but refused the credentials given (")
                .contains("check --username and --password-file");
        assertNoStackTrace(run);

        Run braiinsRun = probe(ports().http(braiins.port()), "--password-file", wrongPasswordFile.toString());
        assertThat(braiinsRun.exit).as(braiinsRun.out + braiinsRun.err).isEqualTo(AgentProbeCommand.EXIT_CREDENTIALS);
        assertThat(braiinsRun.err).contains("answers as Braiins OS (").contains("but refused the credentials given");
        assertNoStackTrace(braiinsRun);
    }

    @Test
    void braiinsOs_withAPasswordFile_isRead() {
        Run run = probe(ports().http(braiins.port()), "--password-file", passwordFile.toString());
        assertThat(run.exit).as(run.out + run.err).isZero();
        assertThat(run.out)
                .contains("127.0.0.1:" + braiins.port() + " is braiins/braiins-os: ")
                .contains("status     ONLINE")
                .containsPattern("\\n  power +[0-9]{4}(\\.[0-9]+)? W");
    }

    @Test
    void vnish_withAPasswordFile_isRead_andAHungPortDoesNotStallTheProbe() {
        Run run = probe(
                1,
                ports().http(vnish.port())
                        .rpc(hung.getLocalPort())
                        .whatsminerV3(hung.getLocalPort())
                        .https(hung.getLocalPort()),
                "--password-file",
                passwordFile.toString());
        assertThat(run.exit).as(run.out + run.err).isZero();
        assertThat(run.out)
                .contains("127.0.0.1:" + vnish.port() + " is vnish/vnish: ")
                .contains("status     ONLINE")
                .containsPattern("\\n  power +[0-9]{4}(\\.[0-9]+)? W")
                .contains("no answer: rpc 127.0.0.1:" + hung.getLocalPort() + " (timeout")
                .contains("no answer: whatsminer-v3 127.0.0.1:" + hung.getLocalPort() + " (timeout")
                .contains("no answer: https 127.0.0.1:" + hung.getLocalPort() + " (timeout");
    }

    @Test
    void vnish_withoutAPasswordFile_isRecognisedFromItsOpenInfo() {
        Run run = probe(ports().http(vnish.port()));
        assertThat(run.exit).isEqualTo(AgentProbeCommand.EXIT_CREDENTIALS);
        assertThat(run.err)
                .contains("answers as Vnish (its web page names \"AnthillOS\", Antminer S19 Pro, Vnish ")
                .contains("give --password-file");
    }

    @Test
    void aRedfishBmc_withUserPasswordFileAndCa_isRead() throws Exception {
        Run run = probe(
                ports().https(bmc.port()),
                "--username",
                BMC_USER,
                "--password-file",
                bmcPasswordFile.toString(),
                "--ca-file",
                caFile.toString());
        assertThat(run.exit).as(run.out + run.err).isZero();
        assertThat(run.out)
                .contains("127.0.0.1:" + bmc.port() + " is dmtf/redfish-gpu-server: ")
                .contains("status     ONLINE")
                .contains("set-power-cap")
                .containsPattern("\\n  power +[0-9]{3,}(\\.[0-9]+)? W");

        Run yaml = probe(
                ports().https(bmc.port()),
                "--username",
                BMC_USER,
                "--password-file",
                bmcPasswordFile.toString(),
                "--ca-file",
                caFile.toString(),
                "--yaml",
                "--id",
                "gpu-1");
        assertThat(yaml.exit).as(yaml.out + yaml.err).isZero();
        assertThat(yaml.out)
                .contains("  - id: gpu-1\n    profile: dmtf/redfish-gpu-server\n    redfish:\n")
                .contains("      password: {file: /etc/headroom/gpu-1.password}\n")
                .doesNotContain("credentials:")
                .doesNotContain(BMC_PASSWORD);
        Files.writeString(dir.resolve("agent.password"), "x\n");
        String agentYaml = "agent-id: rack-1\nsite: demo\nmqtt:\n  url: tcp://127.0.0.1:1883\n"
                + "  password: {file: agent.password}\ndevices:\n"
                + yaml.out.replace("/etc/headroom/gpu-1.password", bmcPasswordFile.toString());
        AgentConfig config = AgentConfigLoader.load(Files.writeString(dir.resolve("gpu-agent.yaml"), agentYaml));
        assertThat(config.devices())
                .singleElement()
                .satisfies(device -> assertThat(device.driver()).isEqualTo("redfish"));

        Run bare = probe(ports().https(bmc.port()), "--ca-file", caFile.toString());
        assertThat(bare.exit).isEqualTo(AgentProbeCommand.EXIT_CREDENTIALS);
        assertThat(bare.err)
                .contains("answers as a Redfish service (Redfish 1.15.0, Vendor Headroom, Product ")
                .contains("give --username and --password-file");

        // Without its CA the BMC's self-signed certificate is refused, never skipped; net-snmp on the SNMP port
        // answers, matching no profile, hence "no match" rather than "no answer".
        Run untrusted = probe(ports().https(bmc.port()));
        assertThat(untrusted.exit).isEqualTo(AgentProbeCommand.EXIT_NO_MATCH);
        assertThat(untrusted.err)
                .contains("https 127.0.0.1:" + bmc.port() + " (tls: ")
                .contains("--ca-file");
        assertNoStackTrace(untrusted);
    }

    @Test
    void nothingAnswersAnywhere_isNoAnswer_withEachProtocolsReason() {
        Run run = probe(1, ports().snmp(closedUdp));
        assertThat(run.exit).isEqualTo(AgentProbeCommand.EXIT_NO_ANSWER);
        assertThat(run.err)
                .contains("nothing usable answers at 127.0.0.1 on any protocol:")
                .contains("http 127.0.0.1:" + closed + " (connection-refused")
                .contains("whatsminer-v3 127.0.0.1:" + closed + " (connection-refused")
                .contains("rpc 127.0.0.1:" + closed + " (connection-refused")
                .contains("https 127.0.0.1:" + closed + " (connection-refused")
                .contains("snmp 127.0.0.1:" + closedUdp + " (timeout");
        assertThat(run.out).isEmpty();
        assertNoStackTrace(run);
    }

    @Test
    void fingerprintOptions_withAProtocolOption_areRefusedByName() {
        Run run = run("agent", "probe", "127.0.0.1", "--port", "161", "--password-file", passwordFile.toString());
        assertThat(run.exit).isEqualTo(2);
        assertThat(run.err).contains("apply only when fingerprinting");
        Run missing = probe(ports(), "--password-file", dir.resolve("absent").toString());
        assertThat(missing.exit).isEqualTo(2);
        assertThat(missing.err).contains("--password-file: ");
        assertNoStackTrace(missing);
    }

    /** The port options of one probe; each protocol's port defaults to the closed one, SNMP to net-snmp. */
    private record Ports(int rpc, int whatsminerV3, int http, int https, int snmp) {
        Ports rpc(int port) {
            return new Ports(port, whatsminerV3, http, https, snmp);
        }

        Ports whatsminerV3(int port) {
            return new Ports(rpc, port, http, https, snmp);
        }

        Ports http(int port) {
            return new Ports(rpc, whatsminerV3, port, https, snmp);
        }

        Ports https(int port) {
            return new Ports(rpc, whatsminerV3, http, port, snmp);
        }

        Ports snmp(int port) {
            return new Ports(rpc, whatsminerV3, http, https, port);
        }
    }

    private static Ports ports() {
        return new Ports(closed, closed, closed, closed, netSnmp.port());
    }

    /**
     * A probe with every port option given; 2 s timeouts, so that a loaded CI machine's slow answer is not taken for
     * silence.
     */
    private static Run probe(Ports ports, String... more) {
        return probe(2, ports, more);
    }

    private static Run probe(int timeoutSeconds, Ports ports, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "agent",
                "probe",
                "127.0.0.1",
                "--timeout",
                String.valueOf(timeoutSeconds),
                "--rpc-port",
                String.valueOf(ports.rpc()),
                "--whatsminer-v3-port",
                String.valueOf(ports.whatsminerV3()),
                "--http-port",
                String.valueOf(ports.http()),
                "--https-port",
                String.valueOf(ports.https()),
                "--snmp-port",
                String.valueOf(ports.snmp())));
        args.addAll(List.of(more));
        return run(args.toArray(String[]::new));
    }

    private static void assertNoStackTrace(Run run) {
        assertThat(run.err).doesNotContain("\tat ").doesNotContain("Exception:");
    }

    private record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Headroom.commandLine()
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
        return new Run(exit, out.toString(), err.toString());
    }
}
