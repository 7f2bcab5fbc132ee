package io.headroom.agent.driver.modbus;

import io.headroom.agent.config.BusConfig;
import io.headroom.agent.config.DeviceConfig;
import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.DriverContext;
import io.headroom.agent.driver.DriverFactory;
import io.headroom.agent.driver.IdentificationException;
import io.headroom.agent.transport.modbus.ModbusException;
import io.headroom.agent.transport.modbus.ModbusTransport;
import io.headroom.agent.transport.modbus.RtuBusTransport;
import io.headroom.agent.transport.modbus.TcpTransport;
import io.headroom.agent.transport.serial.SerialBus;
import io.headroom.config.ConfigBinder;
import io.headroom.config.ConfigNode;
import io.headroom.config.Problems;
import io.headroom.profiles.Capability;
import io.headroom.profiles.FirmwareProfile;
import io.headroom.protocol.Verbs;
import io.headroom.protocol.wire.Verb;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Builds {@link ModbusDriver}s for profiles with {@code driver: modbus}. Devices share transports
 * through the driver context: one {@link SerialBus} per bus (its one owner), one {@link TcpTransport}
 * per TCP endpoint. The scheduler's lane is that bus or endpoint, so a dead meter or gateway holds up
 * only the devices behind it.
 */
public final class ModbusDriverFactory implements DriverFactory<ModbusSettings, ModbusProfile> {

    /** The name profiles use. */
    public static final String NAME = "modbus";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<ModbusSettings> settingsType() {
        return ModbusSettings.class;
    }

    @Override
    public ModbusProfile compile(FirmwareProfile profile, ConfigBinder binder, Problems problems) {
        int before = problems.list().size();
        ModbusPoints points = binder.bind(profile.points(), ModbusPoints.class, problems);
        List<ModbusMatch> match = new ArrayList<>();
        for (ConfigNode rule : profile.match()) {
            ModbusMatch bound = binder.bind(rule, ModbusMatch.class, problems);
            if (bound != null) {
                match.add(bound);
            }
        }
        if (points == null || problems.list().size() > before) {
            return null;
        }
        check(profile.checkedCapabilities(), points, profile.points().origin(), problems);
        return problems.list().size() > before ? null : new ModbusProfile(points, ReadPlan.of(points), match);
    }

    /** write-point is the one verb, its instances are exactly the writes, and every value it admits can be written. */
    static void check(
            Map<Verb, Capability> capabilities, ModbusPoints points, ConfigNode.Origin at, Problems problems) {
        for (Map.Entry<Verb, Capability> entry : capabilities.entrySet()) {
            if (entry.getKey() != Verb.VERB_WRITE_POINT) {
                problems.add(
                        at,
                        "capabilities: the modbus driver has no way to " + Verbs.name(entry.getKey())
                                + "; it offers write-point only");
                continue;
            }
            Capability capability = entry.getValue();
            for (String instance : capability.instances()) {
                ModbusWrite write = points.writes().get(instance);
                if (write == null) {
                    problems.add(at, "writes: write-point instance " + instance + " has no entry under writes");
                    continue;
                }
                capability.range().ifPresent(range -> {
                    for (double bound : new double[] {range.min(), range.max()}) {
                        try {
                            write.raw(bound);
                        } catch (IllegalArgumentException e) {
                            problems.add(
                                    at,
                                    "writes: " + instance + ": write-point's range bound " + bound
                                            + " cannot be written: " + e.getMessage());
                        }
                    }
                });
            }
        }
        List<String> declared = capabilities.containsKey(Verb.VERB_WRITE_POINT)
                ? capabilities.get(Verb.VERB_WRITE_POINT).instances()
                : List.of();
        for (String instance : points.writes().keySet()) {
            if (!declared.contains(instance)) {
                problems.add(
                        at,
                        "writes: " + instance + " is not an instance of a write-point capability; declare it under"
                                + " capabilities or remove it");
            }
        }
    }

    @Override
    public String lane(DeviceConfig device, ModbusSettings settings) {
        return transportKey(settings);
    }

    @Override
    public boolean identifies() {
        return true;
    }

    /**
     * Reads each distinct probe register of the candidates' {@code match:} rules once, then returns the
     * first candidate (catalogue order) one of whose rules holds. Modbus has no identity register, so
     * this never guesses: an exception response (02, illegal address, most often) only fails the rules
     * that read that address; a device that answers nothing (timeout, refused, garbage) cannot be asked
     * and identification is tried again at the next poll.
     */
    @Override
    public Optional<FirmwareProfile> identify(
            DeviceConfig device,
            ModbusSettings settings,
            Map<FirmwareProfile, ModbusProfile> candidates,
            DriverContext context)
            throws IdentificationException, InterruptedException {
        ModbusClient.Access access = new ModbusClient(
                        transport(settings, context),
                        settings.unit(),
                        settings.retries(),
                        device.timeout(),
                        context.meters(),
                        device.id())
                .access();
        Map<String, Optional<Long>> read = new HashMap<>();
        for (Map.Entry<FirmwareProfile, ModbusProfile> candidate : candidates.entrySet()) {
            for (ModbusMatch rule : candidate.getValue().match()) {
                Optional<Long> raw = read.get(probeKey(rule));
                if (raw == null) {
                    raw = probe(rule, access, settings);
                    read.put(probeKey(rule), raw);
                }
                if (raw.isPresent() && rule.matches(raw.get())) {
                    return Optional.of(candidate.getKey());
                }
            }
        }
        return Optional.empty();
    }

    private static String probeKey(ModbusMatch rule) {
        return rule.table().spelling() + "@" + rule.wireAddress() + ":"
                + rule.valueType().spelling() + ":" + rule.order();
    }

    /** The raw value at the rule's address; empty when the device refuses it with an exception response. */
    private static Optional<Long> probe(ModbusMatch rule, ModbusClient.Access access, ModbusSettings settings)
            throws IdentificationException, InterruptedException {
        try {
            if (rule.table().isBits()) {
                return Optional.of(access.readBits(rule.table(), rule.wireAddress(), 1)[0] ? 1L : 0L);
            }
            int words = rule.valueType().words();
            int[] registers = access.readRegisters(rule.table(), rule.wireAddress(), words);
            return Optional.of(rule.order().assemble(registers, 0, words));
        } catch (ModbusException e) {
            if (e.kind() == ModbusException.Kind.EXCEPTION) {
                return Optional.empty();
            }
            throw new IdentificationException(
                    e.reason(),
                    "cannot ask " + transportKey(settings) + " unit " + settings.unit() + " who it is: "
                            + e.getMessage());
        }
    }

    @Override
    public Driver create(
            DeviceConfig device,
            ModbusSettings settings,
            FirmwareProfile profile,
            ModbusProfile compiled,
            DriverContext context) {
        if (!NAME.equals(profile.driver())) {
            throw new IllegalArgumentException(
                    "profile " + profile.id() + " is for driver '" + profile.driver() + "', not " + NAME);
        }
        ModbusClient client = new ModbusClient(
                transport(settings, context),
                settings.unit(),
                settings.retries(),
                device.timeout(),
                context.meters(),
                device.id(),
                context.rawReplies().recorder(device.id()));
        return new ModbusDriver(device.id(), profile, compiled, client, context.wallClock());
    }

    /** The key of the shared transport, which is also the lane. */
    static String transportKey(ModbusSettings settings) {
        if (!settings.bus().isEmpty()) {
            return "serial:" + settings.bus();
        }
        if (settings.tcp().isPresent()) {
            return "modbus-tcp:" + HostPort.parse(settings.tcp().get(), "tcp");
        }
        return "modbus-rtu-over-tcp:" + HostPort.parse(settings.rtuOverTcp().orElseThrow(), "rtu-over-tcp");
    }

    private static Supplier<ModbusTransport> transport(ModbusSettings settings, DriverContext context) {
        String key = transportKey(settings);
        if (!settings.bus().isEmpty()) {
            String id = settings.bus();
            return () -> {
                BusConfig bus = context.bus(id)
                        .orElseThrow(() -> new IllegalStateException("bus " + id + " is not declared under buses"));
                return new RtuBusTransport(context.shared(
                        key,
                        SerialBus.class,
                        () -> SerialBus.open(bus, context.meters(), context.monotonic()::nanoTime)));
            };
        }
        HostPort endpoint = settings.tcp().isPresent()
                ? HostPort.parse(settings.tcp().get(), "tcp")
                : HostPort.parse(settings.rtuOverTcp().orElseThrow(), "rtu-over-tcp");
        TcpTransport.Framing framing =
                settings.tcp().isPresent() ? TcpTransport.Framing.MBAP : TcpTransport.Framing.RTU;
        return () -> context.shared(
                key, TcpTransport.class, () -> new TcpTransport(endpoint.host(), endpoint.port(), framing));
    }
}
