package io.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.simulator.cgminer.AvalonRpc;
import io.headroom.simulator.cgminer.CgminerRpcServer;
import io.headroom.simulator.cgminer.Faults;
import io.headroom.simulator.cgminer.LuxosRpc;
import io.headroom.simulator.cgminer.RpcListener;
import io.headroom.simulator.miner.MinerIdentity;
import io.headroom.simulator.miner.MinerModel;
import io.headroom.simulator.miner.MinerSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code headroom agent scan} over a real block of loopback addresses, all on one port as a site's
 * miners are: a simulated LuxOS miner at 127.0.0.2, a simulated Avalon at .3, nothing at .4, a
 * CGMiner-style RPC that no profile matches at .5, and at .6 a port that answers with garbage.
 */
@Timeout(120)
class AgentScanCommandIT {
    private static final Instant T0 = Instant.now();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static CgminerRpcServer server;
    private static ServerSocket garbage;
    private static Thread garbageThread;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        server = CgminerRpcServer.start("scan-it");
        RpcListener luxos = server.listen(
                new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0),
                new LuxosRpc(
                        new MinerModel(MinerSpec.S19_XP, 3, 25.0, T0),
                        MinerIdentity.generate(3, 0),
                        Clock.systemUTC(),
                        3),
                new Faults());
        port = luxos.port();
        server.listen(
                new InetSocketAddress(InetAddress.getByName("127.0.0.3"), port),
                new AvalonRpc(
                        new MinerModel(AvalonRpc.A1566, 11, 30.0, T0),
                        MinerIdentity.generate(11, 0),
                        Clock.systemUTC(),
                        AvalonRpc.Options.defaults()),
                new Faults());
        // A CGMiner RPC whose version names no firmware of any profile (a cgminer on a hobbyist's rig).
        server.listen(
                new InetSocketAddress(InetAddress.getByName("127.0.0.5"), port),
                request -> {
                    ObjectNode reply = JSON.createObjectNode();
                    reply.putArray("STATUS")
                            .addObject()
                            .put("STATUS", "S")
                            .put("Code", 22)
                            .put("Msg", "CGMiner versions");
                    reply.putArray("VERSION")
                            .addObject()
                            .put("CGMiner", "4.12.1")
                            .put("API", "3.7");
                    reply.putArray("id").add(1);
                    return reply;
                },
                new Faults());
        garbage = new ServerSocket();
        garbage.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.6"), port));
        garbageThread = new Thread(AgentScanCommandIT::answerGarbage, "scan-it-garbage");
        garbageThread.setDaemon(true);
        garbageThread.start();
    }

    /** Reads a little, answers bytes that are no JSON at all, hangs up. */
    private static void answerGarbage() {
        while (!garbage.isClosed()) {
            try (Socket socket = garbage.accept()) {
                socket.setSoTimeout(2_000);
                InputStream in = socket.getInputStream();
                if (in.read(new byte[512]) < 0) {
                    continue;
                }
                OutputStream out = socket.getOutputStream();
                out.write("\u0000\u00ffSSH-2.0-OpenSSH_9.2\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (IOException e) {
                // closed at the end of the test, or the client went away: next one
            }
        }
    }

    @AfterAll
    static void stop() throws Exception {
        garbage.close();
        garbageThread.join(5_000);
        server.close();
    }

    @Test
    void aBlock_findsBothMiners_namesTheUnmatchedOne_andSaysWhatItScanned() {
        Run run = run("agent", "scan", "127.0.0.0/29", "--port", String.valueOf(port), "--timeout", "2");

        assertThat(run.exit).as(run.err).isZero();
        assertThat(run.out)
                .containsPattern("127\\.0\\.0\\.2:" + port + " +luxor/luxos +Antminer S19 XP .*LUXminer.* ONLINE")
                .containsPattern("127\\.0\\.0\\.3:" + port + " +canaan/avalon-a15 +AvalonMiner 15-194 .* ONLINE")
                .containsPattern("127\\.0\\.0\\.5:" + port + " +answers, but matches no profile")
                .containsPattern("127\\.0\\.0\\.6:" + port + " +open, but no usable answer")
                .doesNotContain("127.0.0.4:");
        assertThat(run.err)
                .contains("6 addresses on TCP " + port)
                .contains("2 miners identified, 1 answer but match no profile, 1 open but mute, 2 silent");
    }

    @Test
    void yaml_isTheAgentConfigOfTheIdentifiedMinersOnly() throws Exception {
        Run run = run("agent", "scan", "127.0.0.2-6", "--port", String.valueOf(port), "--yaml");

        assertThat(run.exit).as(run.err).isZero();
        assertThat(run.out)
                .contains("devices:\n")
                .contains("  - id: miner-127-0-0-2\n    profile: luxor/luxos\n    cgminer:\n      host: '127.0.0.2'\n"
                        + "      port: " + port + "\n")
                .contains("  - id: miner-127-0-0-3\n    profile: canaan/avalon-a15\n")
                .doesNotContain("127.0.0.5")
                .doesNotContain("127.0.0.6");
        // What it prints is a devices list the agent's own loader takes.
        var devices = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper()
                .readTree(run.out)
                .path("devices");
        assertThat(devices).hasSize(2);
    }

    @Test
    void nothingListening_isExitFour_andAnAnswerNoProfileMatches_isExitThree() {
        Run silent = run("agent", "scan", "127.0.0.4", "--port", String.valueOf(port));
        assertThat(silent.exit).isEqualTo(AgentProbeCommand.EXIT_NO_ANSWER);
        assertThat(silent.err).contains("0 miners identified").contains("1 silent");

        Run unmatched = run("agent", "scan", "127.0.0.5", "--port", String.valueOf(port));
        assertThat(unmatched.exit).isEqualTo(AgentProbeCommand.EXIT_NO_MATCH);
    }

    @Test
    void badTargets_areRefusedBeforeAnythingIsSent() {
        assertThat(run("agent", "scan", "10.0.0.0/8").err).contains("/8 is 16777216 addresses; scan at most a /16");
        assertThat(run("agent", "scan", "10.0.0.0/20").err).contains("more than 1024 addresses; raise --max-hosts");
        assertThat(run("agent", "scan", "10.0.0.300/24").err).contains("'10.0.0.300' is not an IPv4 address");
        assertThat(run("agent", "scan", "10.0.0.40-10").err).contains("the range must end at or after 40");
        assertThat(run("agent", "scan", "no-such-host.invalid").err).contains("a host name that resolves");
        Run badPort = run("agent", "scan", "127.0.0.1", "--port", "0");
        assertThat(badPort.exit).isEqualTo(2);
        assertThat(badPort.err).contains("--port: 0 is not a port");
        assertThat(run("agent", "scan", "127.0.0.1", "--concurrency", "100000").err)
                .contains("--concurrency: must be 1 to 256");
    }

    @Test
    void aLargerBlock_reportsItsProgress() {
        Run run = run("agent", "scan", "127.0.1.0/27", "--port", String.valueOf(port), "--connect-timeout", "100");
        assertThat(run.exit).isEqualTo(AgentProbeCommand.EXIT_NO_ANSWER);
        assertThat(run.err)
                .contains("headroom agent scan: 3/30 addresses, 0 miners so far")
                .contains("30 silent");
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
