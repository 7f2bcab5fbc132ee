package io.headroom.simulator.gpu.dcgm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The simulated dcgm-exporter over real sockets, as a scraper and as a hostile client see it. */
@Timeout(30)
class SimulatedDcgmExporterIT {

    private static final GpuSample GPU0 = new GpuSample(
            0, "GPU-604ac76c-d9cf-fef3-62e9-d92044ab6e52", "NVIDIA H200", 612.25, 1.5e11, 58, 64, 97, 0, 4, 700);
    private static final GpuSample GPU1 = new GpuSample(
            1, "GPU-1b2c3d4e-0000-1111-2222-333344445555", "NVIDIA H200", 71, 2e10, 31, Double.NaN, 0, 79, 0x40, 450);

    private final AtomicReference<List<GpuSample>> gpus = new AtomicReference<>(List.of(GPU0, GPU1));
    private final SimulatedDcgmExporter exporter;

    SimulatedDcgmExporterIT() throws IOException {
        exporter = new SimulatedDcgmExporter(gpus::get, "gpu-node-07");
    }

    @AfterEach
    void close() {
        exporter.close();
    }

    private String exchange(String request) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), exporter.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return readAll(socket.getInputStream());
        }
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        in.transferTo(body);
        return body.toString(StandardCharsets.UTF_8);
    }

    private String scrape() throws IOException {
        return exchange("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
    }

    @Test
    void get_metrics_isTheExpositionOfEveryGpu() throws IOException {
        String reply = scrape();

        assertThat(reply).startsWith("HTTP/1.1 200 OK\r\n").contains("Content-Type: text/plain; version=0.0.4");
        assertThat(reply)
                .contains("# HELP DCGM_FI_DEV_POWER_USAGE Power draw (in W).\n# TYPE DCGM_FI_DEV_POWER_USAGE gauge\n")
                .contains("DCGM_FI_DEV_POWER_USAGE{gpu=\"0\",UUID=\"GPU-604ac76c-d9cf-fef3-62e9-d92044ab6e52\","
                        + "pci_bus_id=\"00000000:18:00.0\",device=\"nvidia0\",modelName=\"NVIDIA H200\","
                        + "Hostname=\"gpu-node-07\"} 612.25\n")
                .contains("# TYPE DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION counter\n")
                .contains("DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION{gpu=\"0\"")
                .contains("} 150000000000\n")
                .contains("DCGM_FI_DEV_XID_ERRORS{gpu=\"1\"")
                .contains("} 79\n")
                .contains("DCGM_FI_DEV_CLOCKS_EVENT_REASONS{gpu=\"1\"")
                .contains("} 64\n");
    }

    @Test
    void get_metrics_fieldWithoutValue_isTheBlankSentinel() throws IOException {
        String reply = scrape();

        assertThat(reply)
                .containsPattern("DCGM_FI_DEV_MEMORY_TEMP\\{gpu=\"1\"[^}]*} 9223372036854775794\n")
                .containsPattern("DCGM_FI_DEV_MEMORY_TEMP\\{gpu=\"0\"[^}]*} 64\n");
    }

    @Test
    void get_metrics_followsTheSupplier() throws IOException {
        gpus.set(List.of(GPU0));

        assertThat(scrape()).doesNotContain("gpu=\"1\"");
    }

    @Test
    void head_metrics_hasNoBody() throws IOException {
        String reply = exchange("HEAD /metrics HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(reply).startsWith("HTTP/1.1 200 OK").endsWith("\r\n\r\n");
    }

    @Test
    void wrongPath_is404_andWrongMethod405() throws IOException {
        assertThat(exchange("GET /metricsx HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 404 ");
        assertThat(exchange("GET / HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 404 ");
        assertThat(exchange("POST /metrics HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc"))
                .startsWith("HTTP/1.1 405 ");
        assertThat(exchange("GET /metrics?collect=all HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 200 ");
    }

    @Test
    void garbageRequest_is400_andTheNextScrapeIsServed() throws IOException {
        assertThat(exchange("\u0001\u0002garbage\r\n\r\n")).startsWith("HTTP/1.1 400 ");

        assertThat(scrape()).startsWith("HTTP/1.1 200 ");
    }

    @Test
    void oversizeRequestHead_is431_andTheNextScrapeIsServed() throws IOException {
        String huge =
                "GET /metrics HTTP/1.1\r\nX-Junk: " + "a".repeat(SimulatedDcgmExporter.MAX_HEAD_BYTES) + "\r\n\r\n";

        assertThat(exchange(huge)).startsWith("HTTP/1.1 431 ");
        assertThat(scrape()).startsWith("HTTP/1.1 200 ");
    }

    @Test
    void slowClientHoldingItsHead_doesNotBlockOthers() throws Exception {
        try (Socket slow = new Socket(InetAddress.getLoopbackAddress(), exporter.port())) {
            slow.getOutputStream().write("GET /met".getBytes(StandardCharsets.ISO_8859_1));
            slow.getOutputStream().flush();

            assertThat(scrape()).startsWith("HTTP/1.1 200 ");
        }
    }

    @Test
    void clientClosingEarly_doesNotStopTheListener() throws IOException {
        for (int i = 0; i < 20; i++) {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), exporter.port())) {
                socket.getOutputStream().write("GET /metrics HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
        }

        assertThat(scrape()).startsWith("HTTP/1.1 200 ");
    }

    @Test
    void garbageMode_answersBytesThatAreNotTheFormat() throws IOException {
        exporter.mode(SimulatedDcgmExporter.Mode.GARBAGE);

        String reply = scrape();

        assertThat(reply).startsWith("HTTP/1.1 200 ").doesNotContain("DCGM_FI_DEV_");
    }

    @Test
    void oversizeMode_answersMoreThanAskedFor() throws IOException {
        exporter.oversizeBytes(1 << 20);
        exporter.mode(SimulatedDcgmExporter.Mode.OVERSIZE);

        assertThat(scrape().length()).isGreaterThan(1 << 20);
    }

    @Test
    void slowMode_answersAfterTheDelay() throws IOException {
        exporter.slowDelay(Duration.ofMillis(300));
        exporter.mode(SimulatedDcgmExporter.Mode.SLOW);

        assertThat(scrape()).startsWith("HTTP/1.1 200 ").contains("DCGM_FI_DEV_GPU_TEMP");
    }

    @Test
    void hangMode_readsTheRequestAndNeverAnswers_untilClosed() throws Exception {
        exporter.mode(SimulatedDcgmExporter.Mode.HANG);
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), exporter.port())) {
            socket.getOutputStream().write("GET /metrics HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            assertThat(exporter.awaitRequest(Duration.ofSeconds(5))).isTrue();

            exporter.close();

            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
    }
}
