package io.headroom.agent.driver.redfish;

import com.fasterxml.jackson.databind.JsonNode;
import io.headroom.agent.config.DeviceConfig;
import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.DriverContext;
import io.headroom.agent.driver.DriverFactory;
import io.headroom.agent.driver.IdentificationException;
import io.headroom.config.ConfigBinder;
import io.headroom.config.ConfigNode;
import io.headroom.config.Problems;
import io.headroom.profiles.Capability;
import io.headroom.profiles.FirmwareProfile;
import io.headroom.protocol.MetricDictionary;
import io.headroom.protocol.Verbs;
import io.headroom.protocol.wire.Verb;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builds {@link RedfishDriver}s for profiles with {@code driver: redfish}. */
public final class RedfishDriverFactory implements DriverFactory<RedfishSettings, RedfishProfile> {

    /** The name profiles use. */
    public static final String NAME = "redfish";

    /** The verbs sent as {@code #Outlet.PowerControl}. */
    static final java.util.Set<Verb> OUTLET_VERBS =
            java.util.EnumSet.of(Verb.VERB_OUTLET_ON, Verb.VERB_OUTLET_OFF, Verb.VERB_OUTLET_CYCLE);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<RedfishSettings> settingsType() {
        return RedfishSettings.class;
    }

    @Override
    public RedfishProfile compile(FirmwareProfile profile, ConfigBinder binder, Problems problems) {
        int before = problems.list().size();
        RedfishPoints points = binder.bind(profile.points(), RedfishPoints.class, problems);
        List<RedfishMatch> match = new ArrayList<>();
        for (ConfigNode rule : profile.match()) {
            RedfishMatch bound = binder.bind(rule, RedfishMatch.class, problems);
            if (bound != null) {
                match.add(bound);
            }
        }
        if (points == null || problems.list().size() > before) {
            return null;
        }
        ConfigNode.Origin pointsAt = profile.points().origin();
        if (match.isEmpty()) {
            problems.add(pointsAt, "profile " + profile.id() + ": a redfish profile needs at least one match: rule");
        }
        Map<Verb, Capability> capabilities = profile.checkedCapabilities();
        for (Map.Entry<Verb, Capability> entry : capabilities.entrySet()) {
            Verb verb = entry.getKey();
            if (verb != Verb.VERB_SET_POWER_CAP && !OUTLET_VERBS.contains(verb)) {
                problems.add(
                        pointsAt,
                        "capability " + Verbs.name(verb) + ": the redfish driver sends only set-power-cap,"
                                + " outlet-on, outlet-off and outlet-cycle; remove it from capabilities");
                continue;
            }
            if (OUTLET_VERBS.contains(verb)) {
                if (points.outlets().isEmpty()) {
                    problems.add(
                            pointsAt,
                            "capability " + Verbs.name(verb) + " has no outlets: {resource} saying where the"
                                    + " Outlet collection is");
                }
                entry.getValue().readBack().ifPresent(readBack -> {
                    if (!readBack.metric().equals(MetricDictionary.OUTLET_STATE)) {
                        problems.add(
                                pointsAt,
                                Verbs.name(verb) + " is read back from the outlet's PowerState: its read-back metric"
                                        + " must be " + MetricDictionary.OUTLET_STATE + ", not " + readBack.metric());
                    }
                });
            }
        }
        if (points.outlets().isPresent() && capabilities.keySet().stream().noneMatch(OUTLET_VERBS::contains)) {
            problems.add(
                    profile.points().originOf("outlets"),
                    "no outlet capability uses it; declare outlet-on/outlet-off under capabilities or remove it");
        }
        Capability cap = capabilities.get(Verb.VERB_SET_POWER_CAP);
        if (cap != null && points.powerLimit().isEmpty()) {
            problems.add(pointsAt, "capability set-power-cap has no power-limit saying what to PATCH");
        }
        if (cap == null && points.powerLimit().isPresent()) {
            problems.add(
                    profile.points().originOf("power-limit"),
                    "not a capability of this profile; declare set-power-cap under capabilities or remove it");
        }
        if (cap != null) {
            cap.readBack().ifPresent(readBack -> {
                if (!readBack.metric().equals(MetricDictionary.POWER_TARGET)) {
                    problems.add(
                            pointsAt,
                            "set-power-cap is read back from the power limit resource: its read-back metric must be "
                                    + MetricDictionary.POWER_TARGET + ", not " + readBack.metric());
                }
            });
        }
        if (problems.list().size() > before) {
            return null;
        }
        return new RedfishProfile(points, match);
    }

    @Override
    public boolean identifies() {
        return true;
    }

    /**
     * Reads each resource the candidates' match rules name (the service root, a power-limit
     * resource), once, and returns the first candidate with a rule that holds. A resource the BMC does
     * not have (404) fails only the rules on it.
     */
    @Override
    public Optional<FirmwareProfile> identify(
            DeviceConfig device,
            RedfishSettings settings,
            Map<FirmwareProfile, RedfishProfile> candidates,
            DriverContext context)
            throws IdentificationException, InterruptedException {
        Map<String, JsonNode> read = new HashMap<>();
        try (RedfishClient client = new RedfishClient(device.id(), settings, device.timeout(), context.secrets())) {
            for (Map.Entry<FirmwareProfile, RedfishProfile> candidate : candidates.entrySet()) {
                String chassis =
                        settings.chassis().orElse(candidate.getValue().points().defaultChassis());
                for (RedfishMatch rule : candidate.getValue().match()) {
                    String path = RedfishPaths.absolute(rule.resource(), chassis);
                    if (!read.containsKey(path)) {
                        try {
                            read.put(path, client.get(path));
                        } catch (RedfishFault e) {
                            if (e.stopsPoll()) {
                                throw new IdentificationException(
                                        e.reason(), "cannot ask " + settings.host() + " who it is: " + e.getMessage());
                            }
                            read.put(path, null);
                        }
                    }
                    JsonNode root = read.get(path);
                    if (root != null && rule.holds(root)) {
                        return Optional.of(candidate.getKey());
                    }
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public Driver create(
            DeviceConfig device,
            RedfishSettings settings,
            FirmwareProfile profile,
            RedfishProfile compiled,
            DriverContext context) {
        if (!NAME.equals(profile.driver())) {
            throw new IllegalArgumentException(
                    "profile " + profile.id() + " is for driver '" + profile.driver() + "', not " + NAME);
        }
        RedfishClient client = new RedfishClient(
                device.id(),
                settings,
                device.timeout(),
                context.secrets(),
                context.rawReplies().recorder(device.id()));
        return new RedfishDriver(device.id(), settings, profile, compiled, client, context.wallClock());
    }
}
