package io.headroom.agent.driver.modbus;

import static org.assertj.core.api.Assertions.assertThat;

import com.digitalpetri.modbus.server.ModbusTcpServer;
import com.digitalpetri.modbus.tcp.server.NettyTcpServerTransport;
import io.headroom.agent.TestDevices;
import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.DriverContext;
import io.headroom.agent.driver.PollResult;
import io.headroom.agent.rawreply.RawReply;
import io.headroom.agent.rawreply.RawReplyRecorder;
import io.headroom.protocol.wire.DeviceHealth;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Modbus client keeps a poll's reads as text: against digitalpetri's Modbus TCP server serving an
 * SDM630 image, each read's unit, function, table and addresses, and each register in hex with its
 * address.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ModbusRawReplyIT {

    private static final Pattern READ = Pattern.compile("unit 1 FC 0[1-4] [a-z-]+ (\\d+)\\.\\.(\\d+) \\((\\d+)\\)");

    private final DriverContext context = TestDevices.context(Clock.systemUTC());
    private ModbusTcpServer server;

    @AfterEach
    void stop() throws Exception {
        context.close();
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void poll_keepsEachReadAndItsRegisters_inHexWithTheirAddresses() throws Exception {
        int port = PeerImages.freePort();
        NettyTcpServerTransport transport = NettyTcpServerTransport.create(cfg -> {
            cfg.bindAddress = "127.0.0.1";
            cfg.port = port;
        });
        server = ModbusTcpServer.create(transport, PeerImages.services(1, PeerImages.of("eastron/sdm630/nominal")));
        server.start();
        Driver meter = PeerImages.driver(
                "m1",
                "eastron/sdm630",
                new ModbusSettings(Optional.of("127.0.0.1:" + port), Optional.empty(), "", 1, 1),
                Duration.ofSeconds(2),
                context);
        RawReplyRecorder recorder = context.rawReplies().recorder("m1");

        recorder.pollStarted();
        PollResult result = meter.poll();
        recorder.pollEnded();

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
        RawReply raw = recorder.last().orElseThrow();
        String[] asked = raw.request().split("\n");
        int registers = 0;
        for (String request : asked) {
            Matcher read = READ.matcher(request);
            assertThat(read.matches()).as(request).isTrue();
            registers += Integer.parseInt(read.group(3));
            assertThat(raw.reply()).contains(read.group(1) + ": 0x", read.group(2) + ": 0x");
        }
        assertThat(raw.reply().lines().filter(l -> l.matches("\\d+: 0x[0-9A-F]{4} \\(\\d+\\)")))
                .hasSize(registers);
        // The image's power, 3350.0 W as an IEEE float (0x45516000), on two consecutive registers.
        assertThat(raw.reply()).containsPattern("(\\d+): 0x4551 \\(17745\\)\n\\d+: 0x6000 \\(24576\\)");
    }
}
