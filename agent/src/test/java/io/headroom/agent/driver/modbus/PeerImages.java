package io.headroom.agent.driver.modbus;

import com.digitalpetri.modbus.server.ProcessImage;
import com.digitalpetri.modbus.server.ReadWriteModbusServices;
import io.headroom.agent.TestDevices;
import io.headroom.agent.config.DeviceConfig;
import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.DriverContext;
import io.headroom.agent.driver.GoldenCasesTest;
import io.headroom.agent.transport.modbus.ModbusTable;
import io.headroom.config.ConfigNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Optional;

/**
 * digitalpetri's {@link ProcessImage} filled from a golden case's register image, served for one unit by
 * an independent Modbus implementation; and drivers built the way the agent builds them. Test code.
 */
public final class PeerImages {

    private PeerImages() {}

    /** The process image of a golden case's {@code registers.json}. */
    public static ProcessImage of(String caseFolder) throws IOException {
        RegisterImage source = RegisterImage.read(
                GoldenCasesTest.casesRoot().resolve(caseFolder).resolve("registers.json"));
        ProcessImage image = new ProcessImage();
        image.with(tx -> {
            for (ModbusTable table : ModbusTable.values()) {
                for (int address = 0; address < 0x10000; address++) {
                    int value = source.get(table, address);
                    if (value < 0) {
                        continue;
                    }
                    int at = address;
                    byte[] word = {(byte) (value >>> 8), (byte) value};
                    switch (table) {
                        case COIL -> tx.writeCoils(m -> m.put(at, value != 0));
                        case DISCRETE_INPUT -> tx.writeDiscreteInputs(m -> m.put(at, value != 0));
                        case HOLDING -> tx.writeHoldingRegisters(m -> m.put(at, word));
                        case INPUT -> tx.writeInputRegisters(m -> m.put(at, word));
                    }
                }
            }
        });
        return image;
    }

    /** Services answering {@code unit} from {@code image}; other units are unknown (no reply). */
    public static ReadWriteModbusServices services(int unit, ProcessImage image) {
        return new ReadWriteModbusServices() {
            @Override
            protected Optional<ProcessImage> getProcessImage(int unitId) {
                return unitId == unit ? Optional.of(image) : Optional.empty();
            }
        };
    }

    /** A port nothing listens on right now (closed again at once). */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static Driver driver(String id, String profile, ModbusSettings settings, Duration timeout, DriverContext context) {
        DeviceConfig device = new DeviceConfig(
                id,
                profile,
                ModbusDriverFactory.NAME,
                Duration.ofSeconds(5),
                timeout,
                Optional.empty(),
                settings,
                new ConfigNode.Origin("test.yaml", 1, "devices[0]"));
        return new ModbusDriverFactory()
                .create(
                        device,
                        settings,
                        TestDevices.profile(profile),
                        (ModbusProfile) TestDevices.PROFILES.compiled(profile),
                        context);
    }

    public static DeviceConfig device(String id, String profile, ModbusSettings settings) {
        return new DeviceConfig(
                id,
                profile,
                ModbusDriverFactory.NAME,
                Duration.ofSeconds(5),
                Duration.ofSeconds(1),
                Optional.empty(),
                settings,
                new ConfigNode.Origin("test.yaml", 1, "devices[0]"));
    }
}
