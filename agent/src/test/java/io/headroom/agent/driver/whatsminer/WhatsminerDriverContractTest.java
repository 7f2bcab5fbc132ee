package io.headroom.agent.driver.whatsminer;

import static org.awaitility.Awaitility.await;

import io.headroom.agent.TestDevices;
import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.DriverContractTest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/**
 * The driver contract on both APIs against the simulated Whatsminer, plus hostile fake miners: a v3 reply
 * with a 4 GiB length prefix, a v3 frame cut short, an oversize v2 reply.
 */
class WhatsminerDriverContractTest extends DriverContractTest {

    private final List<AutoCloseable> peers = new ArrayList<>();
    private WhatsminerRig hanging;

    @AfterEach
    void closePeers() throws Exception {
        for (AutoCloseable peer : peers) {
            peer.close();
        }
    }

    private WhatsminerRig rig() throws IOException {
        WhatsminerRig rig = new WhatsminerRig();
        peers.add(rig);
        return rig;
    }

    @Override
    protected Duration deviceTimeout() {
        return WhatsminerRig.TIMEOUT;
    }

    @Override
    protected Driver healthyDriver() throws Exception {
        return track(rig().driver("microbt/whatsminer-v2", "v2"));
    }

    @Override
    protected Driver hangingDriver() throws Exception {
        hanging = rig();
        hanging.miner.faults().setHang(true);
        return track(hanging.driver("microbt/whatsminer-v3", "v3"));
    }

    @Override
    protected void awaitHangingRequest() {
        await().atMost(Duration.ofSeconds(5)).until(() -> hanging.miner.requestsServed() > 0);
    }

    @Override
    protected Driver refusingDriver() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        WhatsminerSettings settings = new WhatsminerSettings("127.0.0.1", WhatsminerApi.V2, port, port);
        return track(TestDevices.DRIVERS.create(
                WhatsminerRig.device("microbt/whatsminer-v2", settings, null),
                TestDevices.PROFILES,
                TestDevices.context(java.time.Clock.systemUTC())));
    }

    @Override
    protected Driver partlyFailingDriver() throws Exception {
        WhatsminerRig rig = rig();
        rig.miner.v2().setFailing("devs", true);
        return track(rig.driver("microbt/whatsminer-v2", "v2"));
    }

    @Override
    protected List<Driver> garbageDrivers() throws Exception {
        List<Driver> out = new ArrayList<>();
        WhatsminerRig v2 = rig();
        v2.miner.faults().setGarbage(true);
        out.add(track(v2.driver("microbt/whatsminer-v2", "v2")));
        WhatsminerRig v3 = rig();
        v3.miner.faults().setGarbage(true);
        out.add(track(v3.driver("microbt/whatsminer-v3", "v3")));
        out.add(fake("microbt/whatsminer-v3", new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}));
        out.add(fake("microbt/whatsminer-v3", new byte[] {100, 0, 0, 0, '{', '"'}));
        out.add(fake("microbt/whatsminer-v2", new byte[(1 << 20) + 10]));
        out.add(fake(
                "microbt/whatsminer-v2",
                "{\"STATUS\":[{\"STATUS\":\"S\"}]}".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return out;
    }

    /** A driver for a fake miner that answers every connection with {@code reply} and closes. */
    private Driver fake(String profile, byte[] reply) throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        peers.add(server);
        Thread thread = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    OutputStream out = s.getOutputStream();
                    out.write(reply);
                    out.flush();
                } catch (IOException e) {
                    // client gone or server closed
                }
            }
        });
        thread.setDaemon(true);
        thread.start();
        WhatsminerApi api = profile.endsWith("v3") ? WhatsminerApi.V3 : WhatsminerApi.V2;
        WhatsminerSettings settings =
                new WhatsminerSettings("127.0.0.1", api, server.getLocalPort(), server.getLocalPort());
        return TestDevices.DRIVERS.create(
                WhatsminerRig.device(profile, settings, null),
                TestDevices.PROFILES,
                TestDevices.context(java.time.Clock.systemUTC()));
    }
}
