package io.headroom.agent.driver.nvsmi;

import io.headroom.agent.config.DeviceConfig;
import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.DriverContext;
import io.headroom.agent.driver.DriverFactory;
import io.headroom.config.ConfigBinder;
import io.headroom.config.ConfigNode;
import io.headroom.config.Problems;
import io.headroom.profiles.Capability;
import io.headroom.profiles.FirmwareProfile;
import io.headroom.protocol.MetricDictionary;
import io.headroom.protocol.Verbs;
import io.headroom.protocol.wire.Verb;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds {@link NvsmiDriver}s for profiles with {@code driver: nvidia-smi}. */
public final class NvsmiDriverFactory implements DriverFactory<NvsmiSettings, NvsmiProfile> {

    /** The name profiles use, and the key of a device's block. */
    public static final String NAME = "nvidia-smi";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<NvsmiSettings> settingsType() {
        return NvsmiSettings.class;
    }

    @Override
    public NvsmiProfile compile(FirmwareProfile profile, ConfigBinder binder, Problems problems) {
        int before = problems.list().size();
        NvsmiPoints points = binder.bind(profile.points(), NvsmiPoints.class, problems);
        List<NvsmiMatch> match = new ArrayList<>();
        for (ConfigNode rule : profile.match()) {
            NvsmiMatch bound = binder.bind(rule, NvsmiMatch.class, problems);
            if (bound != null) {
                match.add(bound);
            }
        }
        if (points == null || problems.list().size() > before) {
            return null;
        }
        ConfigNode.Origin at = profile.points().origin();
        if (match.isEmpty()) {
            problems.add(at, "profile " + profile.id() + ": an nvidia-smi profile needs a match: rule");
        }
        for (Map.Entry<Verb, Capability> entry : profile.checkedCapabilities().entrySet()) {
            String verb = Verbs.name(entry.getKey());
            Capability capability = entry.getValue();
            if (entry.getKey() != Verb.VERB_SET_POWER_CAP) {
                problems.add(at, "capability " + verb + ": nvidia-smi can only set-power-cap");
                continue;
            }
            if (!capability.unit().orElse("").equals("W")) {
                problems.add(at, "capability set-power-cap: its unit must be W (nvidia-smi -pl takes watts)");
            }
            if (capability.instances().isEmpty()) {
                problems.add(at, "capability set-power-cap: list the GPU indexes it applies to under instances (0..7)");
            }
            for (String instance : capability.instances()) {
                if (!instance.chars().allMatch(Character::isDigit)) {
                    problems.add(at, "capability set-power-cap: instance '" + instance + "' is not a GPU index");
                }
            }
            if (capability.readBack().isEmpty()
                    || !capability.readBack().get().metric().equals(MetricDictionary.POWER_TARGET)) {
                problems.add(
                        at,
                        "capability set-power-cap: read it back from power.target (the enforced limit the driver"
                                + " reads after -pl)");
            }
        }
        return problems.list().size() > before ? null : new NvsmiProfile(points, match);
    }

    @Override
    public Driver create(
            DeviceConfig device,
            NvsmiSettings settings,
            FirmwareProfile profile,
            NvsmiProfile compiled,
            DriverContext context) {
        if (!NAME.equals(profile.driver())) {
            throw new IllegalArgumentException(
                    "profile " + profile.id() + " is for driver '" + profile.driver() + "', not " + NAME);
        }
        return new NvsmiDriver(
                device.id(),
                settings.executable(),
                device.timeout(),
                profile,
                compiled,
                context.wallClock(),
                context.meters(),
                context.rawReplies().recorder(device.id()));
    }
}
