package io.headroom.agent.driver.dcgm;

import com.sun.net.httpserver.HttpServer;
import io.headroom.agent.TestDevices;
import io.headroom.agent.config.DeviceConfig;
import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.DriverContext;
import io.headroom.config.ConfigNode;
import io.headroom.simulator.gpu.dcgm.GpuSample;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Devices, GPU samples and a fixed-body HTTP peer for the dcgm driver's tests. */
final class DcgmTestDevices {

    static final String PROFILE = "nvidia/dcgm-exporter";

    /** Two healthy H200s: no XID, throttled only by their power cap (0x4, no fault). */
    static final List<GpuSample> HEALTHY = List.of(
            new GpuSample(
                    0,
                    "GPU-604ac76c-d9cf-fef3-62e9-d92044ab6e52",
                    "NVIDIA H200",
                    612.25,
                    3.6e12,
                    58,
                    64,
                    97,
                    0,
                    4,
                    700),
            new GpuSample(
                    1,
                    "GPU-1b2c3d4e-0000-1111-2222-333344445555",
                    "NVIDIA H200",
                    71,
                    7.2e11,
                    31,
                    Double.NaN,
                    0,
                    0,
                    1,
                    450));

    private DcgmTestDevices() {}

    static DeviceConfig device(String id, int port, Duration timeout) {
        return new DeviceConfig(
                id,
                PROFILE,
                DcgmDriverFactory.NAME,
                Duration.ofSeconds(10),
                timeout,
                Optional.empty(),
                new DcgmSettings("127.0.0.1", Optional.of(port)),
                new ConfigNode.Origin("test.yaml", 1, "devices[0]"));
    }

    static Driver driver(int port, Duration timeout, DriverContext context) {
        return TestDevices.DRIVERS.create(device("gpu" + port, port, timeout), TestDevices.PROFILES, context);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** An HTTP peer on loopback answering every path with one status, type and body. */
    static HttpServer fixed(int status, String contentType, String body) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        server.createContext("/", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        return server;
    }
}
