package io.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.agent.config.AgentConfig;
import io.headroom.agent.config.AgentConfigLoader;
import io.headroom.simulator.meter.MeterModel;
import io.headroom.simulator.meter.SimulatedMeter;
import io.headroom.simulator.pdu.PduSpec;
import io.headroom.simulator.pdu.SimulatedPdu;
import io.headroom.simulator.site.SimulatedSite;
import io.headroom.simulator.site.SitePower;
import io.headroom.simulator.site.SiteSpec;
import io.headroom.simulator.snmp.SnmpEndpoint;
import io.headroom.simulator.snmp.SnmpObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;

/**
 * {@code headroom agent probe} against the simulated APC PDU, a foreign SNMP agent, the simulated SDM630
 * meter (Modbus TCP), and silence.
 */
@Timeout(120)
class AgentProbeCommandIT {
    private static SimulatedSite site;
    private static SimulatedPdu pdu;
    private static SnmpEndpoint netSnmp;
    private static SimulatedMeter meter;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        site = SimulatedSite.start(SiteSpec.of(3, 21), Clock.systemUTC());
        SitePower power = SitePower.uniform(site, 3, 8, 1, Duration.ofSeconds(30));
        pdu = SimulatedPdu.start(power, "rack-1", PduSpec.loopback(32));
        // An SDM630 on a feed drawing 42 kW (import 1234 kWh so far).
        meter = SimulatedMeter.start(
                "meter-1",
                new MeterModel(() -> 42_000, () -> 1234, Clock.systemUTC(), 7),
                1,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        // A Linux host's net-snmp agent: answers, but is no device of ours.
        netSnmp = SnmpEndpoint.start(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                "public",
                "private",
                List.of(
                        SnmpObject.readOnly("1.3.6.1.2.1.1.1.0", () -> new OctetString("Linux gw 6.1.0-13-amd64")),
                        SnmpObject.readOnly("1.3.6.1.2.1.1.2.0", () -> new OID("1.3.6.1.4.1.8072.3.2.10"))));
    }

    @AfterAll
    static void stop() {
        meter.close();
        netSnmp.close();
        pdu.close();
        site.close();
    }

    @Test
    void theSimulatedPdu_isIdentifiedAsApcRpdu2_withItsCapabilitiesAndAFirstReading() {
        Run run =
                run("agent", "probe", "127.0.0.1", "--port", String.valueOf(pdu.port()), "--snmp-community", "public");
        assertThat(run.exit).as(run.err).isZero();
        assertThat(run.out)
                .contains("127.0.0.1:" + pdu.port() + " is apc/rpdu2: APC ")
                .contains("kind       pdu")
                .contains("status     ONLINE")
                .containsPattern(
                        "outlet-off +24 instances 1…24, settles in 2 s, read back from outlet.state, DANGEROUS")
                .containsPattern("\\n  power +[0-9]{4,} W")
                .contains("outlet.state[1]");
        assertThat(run.err).isEmpty();
    }

    @Test
    void yaml_printsAnEntryTheAgentLoaderAccepts() throws Exception {
        Run run = run("agent", "probe", "127.0.0.1", "--port", String.valueOf(pdu.port()), "--yaml", "--id", "pdu-a1");
        assertThat(run.exit).as(run.err).isZero();
        assertThat(run.out)
                .contains("  - id: pdu-a1\n    profile: apc/rpdu2\n    snmp:\n")
                .contains("      port: " + pdu.port() + "\n")
                .contains("      community: {file: /etc/headroom/pdu-a1.community}");

        Path community = Files.writeString(dir.resolve("pdu-a1.community"), "public\n");
        Files.writeString(dir.resolve("agent.password"), "x\n");
        String agentYaml = "agent-id: rack-1\nsite: demo\nmqtt:\n  url: tcp://127.0.0.1:1883\n"
                + "  password: {file: agent.password}\ndevices:\n"
                + run.out.replace("/etc/headroom/pdu-a1.community", community.toString());
        Path file = Files.writeString(dir.resolve("agent.yaml"), agentYaml);
        AgentConfig config = AgentConfigLoader.load(file);
        assertThat(config.devices()).hasSize(1);
        assertThat(config.devices().get(0).profile()).isEqualTo("apc/rpdu2");
    }

    @Test
    void anAgentThatMatchesNoProfile_isSaidSo_andNothingIsGuessed() {
        Run run = run("agent", "probe", "127.0.0.1", "--port", String.valueOf(netSnmp.port()));
        assertThat(run.exit).isEqualTo(AgentProbeCommand.EXIT_NO_MATCH);
        assertThat(run.err)
                .contains("127.0.0.1:" + netSnmp.port() + " answers snmp, but matches no snmp profile")
                .contains("apc/rpdu2")
                .contains("no profile is guessed");
        assertThat(run.out).isEmpty();
        assertNoStackTrace(run);
    }

    @Test
    void aPortWhereNothingListens_isNoAnswer() throws Exception {
        int silent;
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            silent = socket.getLocalPort();
        }
        Run run = run("agent", "probe", "127.0.0.1", "--port", String.valueOf(silent), "--timeout", "1");
        assertThat(run.exit).isEqualTo(AgentProbeCommand.EXIT_NO_ANSWER);
        assertThat(run.err).contains("nothing usable answers snmp at 127.0.0.1:" + silent + " (");
        assertNoStackTrace(run);
    }

    @Test
    void aWrongCommunity_isNoAnswer_withAHint() {
        Run run = run(
                "agent",
                "probe",
                "127.0.0.1",
                "--port",
                String.valueOf(pdu.port()),
                "--snmp-community",
                "guess",
                "--timeout",
                "1");
        assertThat(run.exit).isEqualTo(AgentProbeCommand.EXIT_NO_ANSWER);
        assertThat(run.err).contains("timeout").contains("check --snmp-community");
        assertNoStackTrace(run);
    }

    @Test
    void theSimulatedMeter_isIdentifiedAsEastronSdm630_withAFirstReading() {
        Run run = run("agent", "probe", "127.0.0.1", "--port", String.valueOf(meter.port()), "--modbus-unit", "1");
        assertThat(run.exit).as(run.err).isZero();
        assertThat(run.out)
                .contains("127.0.0.1:" + meter.port() + " is eastron/sdm630: Eastron SDM630")
                .contains("kind       meter")
                .contains("status     ONLINE")
                .contains("Capabilities: none (read only)")
                .containsPattern("\\n  power +4[0-9]{4}(\\.[0-9]+)? W")
                .containsPattern("\\n  voltage\\[phase1\\] +2[0-9]{2}\\.[0-9]+ V");
        assertThat(run.err).isEmpty();
    }

    @Test
    void modbusYaml_printsAnEntryTheAgentLoaderAccepts() throws Exception {
        Run run = run(
                "agent", "probe", "127.0.0.1", "--port", String.valueOf(meter.port()), "--modbus-unit", "1", "--yaml");
        assertThat(run.exit).as(run.err).isZero();
        assertThat(run.out)
                .contains("  - id: meter-127-0-0-1\n    profile: eastron/sdm630\n    modbus:\n")
                .contains("      tcp: '127.0.0.1:" + meter.port() + "'\n      unit: 1\n")
                .doesNotContain("SECRET")
                .doesNotContain("{file:");

        Files.writeString(dir.resolve("agent.password"), "x\n");
        String agentYaml = "agent-id: rack-1\nsite: demo\nmqtt:\n  url: tcp://127.0.0.1:1883\n"
                + "  password: {file: agent.password}\ndevices:\n" + run.out;
        AgentConfig config = AgentConfigLoader.load(Files.writeString(dir.resolve("meter-agent.yaml"), agentYaml));
        assertThat(config.devices()).singleElement().satisfies(device -> {
            assertThat(device.profile()).isEqualTo("eastron/sdm630");
            assertThat(device.driver()).isEqualTo("modbus");
        });
    }

    @Test
    void modbus_aPortWhereNothingListens_isNoAnswer() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        Run run = run("agent", "probe", "127.0.0.1", "--port", String.valueOf(closed), "--modbus-unit", "1");
        assertThat(run.exit).isEqualTo(AgentProbeCommand.EXIT_NO_ANSWER);
        assertThat(run.err).contains("nothing usable answers modbus at 127.0.0.1:" + closed + " (connection-refused: ");
        assertThat(run.out).isEmpty();
        assertNoStackTrace(run);
    }

    @Test
    void modbus_aUnitTheMeterIsNot_isNoAnswer_withAHint() {
        Run run = run(
                "agent",
                "probe",
                "127.0.0.1",
                "--port",
                String.valueOf(meter.port()),
                "--modbus-unit",
                "9",
                "--timeout",
                "1");
        assertThat(run.exit).isEqualTo(AgentProbeCommand.EXIT_NO_ANSWER);
        assertThat(run.err).contains("(timeout: ").contains("check --modbus-unit");
        assertNoStackTrace(run);
    }

    @Test
    void conflictingOptions_areRefusedByName() {
        Run run = run("agent", "probe", "127.0.0.1", "--modbus-unit", "1", "--snmp-community", "x");
        assertThat(run.exit).isEqualTo(2);
        assertThat(run.err).contains("--modbus-unit probes Modbus; the SNMP options do not apply");
        Run both = run("agent", "probe", "h", "--snmp-community", "x", "--snmp-user", "u");
        assertThat(both.err).contains("--snmp-community and --snmp-user: give one");
    }

    @Test
    void agentWithoutConfig_stillSaysConfigIsRequired() {
        Run run = run("agent");
        assertThat(run.exit).isEqualTo(2);
        assertThat(run.err).contains("--config <agent.yaml> is required");
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
