package io.headroom.agent.driver.vnish;

import static org.awaitility.Awaitility.await;

import io.headroom.agent.TestDevices;
import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.DriverContractTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;

/**
 * The driver contract against the simulated Vnish web API, plus hostile fake web servers: an unlock answered with
 * garbage, without a token, with a token no header can carry, 429, a reply cut short, a server that is not HTTP.
 */
class VnishDriverContractTest extends DriverContractTest {

    private final List<AutoCloseable> peers = new ArrayList<>();
    private VnishRig hanging;

    @AfterEach
    void closePeers() throws Exception {
        for (AutoCloseable peer : peers) {
            peer.close();
        }
    }

    private VnishRig rig() throws IOException {
        VnishRig rig = new VnishRig();
        peers.add(rig);
        return rig;
    }

    @Override
    protected Duration deviceTimeout() {
        return VnishRig.TIMEOUT;
    }

    @Override
    protected Driver healthyDriver() throws Exception {
        return track(rig().driver("web"));
    }

    @Override
    protected Driver hangingDriver() throws Exception {
        hanging = rig();
        hanging.miner.faults().setResponseDelay(Duration.ofMinutes(5));
        return track(hanging.driver("web"));
    }

    @Override
    protected void awaitHangingRequest() {
        await().atMost(Duration.ofSeconds(5)).until(() -> hanging.miner.requests() > 0);
    }

    @Override
    protected Driver refusingDriver() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        return track(fakeDriver(port));
    }

    @Override
    protected Driver partlyFailingDriver() throws Exception {
        VnishRig rig = rig();
        rig.miner.faults().setMissing(Set.of("/api/v1/perf-summary"));
        return track(rig.driver("web"));
    }

    @Override
    protected List<Driver> garbageDrivers() throws Exception {
        List<Driver> out = new ArrayList<>();
        VnishRig garbage = rig();
        garbage.miner.faults().setGarbage(true);
        out.add(track(garbage.driver("web")));
        VnishRig oversize = rig();
        oversize.miner.faults().setOversize(true);
        out.add(track(oversize.driver("web")));
        VnishRig types = rig();
        types.miner.faults().setWrongTypes(true);
        out.add(track(types.driver("web")));
        out.add(fake("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n"));
        out.add(fake("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 13\r\n\r\n<html></html>"));
        out.add(fake("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n[]"));
        out.add(fake("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n{\"token\":42}"));
        out.add(fake("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 25\r\n\r\n"
                + "{\"token\":\"a\\r\\nX-Evil: 1\"}"));
        out.add(fake("HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n{\"token\":\"abc"));
        out.add(fake("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n"));
        out.add(fake("HTTP/1.1 429 Too Many Requests\r\nContent-Length: 2\r\n\r\n{}"));
        out.add(fake("HTTP/1.1 403 Forbidden\r\nContent-Length: 23\r\n\r\n{\"unlock_timeout\":null}"));
        out.add(fake("SSH-2.0-OpenSSH_9.6\r\n"));
        return out;
    }

    /** A driver for a fake server that reads a request and answers {@code reply} on every connection. */
    private Driver fake(String reply) throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        peers.add(server);
        Thread thread = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    InputStream in = s.getInputStream();
                    byte[] buffer = new byte[8192];
                    in.read(buffer); // the request (its headers fit)
                    OutputStream out = s.getOutputStream();
                    out.write(reply.getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                } catch (IOException e) {
                    // client gone or server closed
                }
            }
        });
        thread.setDaemon(true);
        thread.start();
        return track(fakeDriver(server.getLocalPort()));
    }

    private static Driver fakeDriver(int port) {
        return TestDevices.DRIVERS.create(
                VnishRig.device(port, "web", "password", VnishRig.TIMEOUT),
                TestDevices.PROFILES,
                VnishRig.context(Clock.systemUTC(), new SimpleMeterRegistry()));
    }
}
