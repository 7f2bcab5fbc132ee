package io.headroom.agent.driver.cgminer;

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
import io.headroom.protocol.Verbs;
import io.headroom.protocol.wire.Verb;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builds {@link CgminerDriver}s for profiles with {@code driver: cgminer}. */
public final class CgminerDriverFactory implements DriverFactory<CgminerSettings, CgminerProfile> {

    /** The name profiles use. */
    public static final String NAME = "cgminer";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<CgminerSettings> settingsType() {
        return CgminerSettings.class;
    }

    @Override
    public CgminerProfile compile(FirmwareProfile profile, ConfigBinder binder, Problems problems) {
        int before = problems.list().size();
        CgminerPoints points = binder.bind(profile.points(), CgminerPoints.class, problems);
        List<CgminerMatch> match = new ArrayList<>();
        for (ConfigNode rule : profile.match()) {
            CgminerMatch bound = binder.bind(rule, CgminerMatch.class, problems);
            if (bound != null) {
                match.add(bound);
            }
        }
        if (points == null || problems.list().size() > before) {
            return null;
        }
        ConfigNode.Origin pointsAt = profile.points().origin();
        if (match.isEmpty()) {
            problems.add(pointsAt, "profile " + profile.id() + ": a cgminer profile needs at least one match: rule");
            return null;
        }
        for (CgminerMatch rule : match) {
            if (!points.reads().contains(rule.command())) {
                problems.add(
                        profile.points().originOf("reads"), "match: " + rule.command() + " is not one of these reads");
            }
        }
        Map<Verb, Capability> capabilities = profile.checkedCapabilities();
        for (Map.Entry<Verb, Capability> capability : capabilities.entrySet()) {
            String verb = Verbs.name(capability.getKey());
            CgminerControl control = points.controls().get(verb);
            if (control == null) {
                problems.add(
                        profile.points().originOf("controls"),
                        "capability " + verb + " has no control saying what to send");
                continue;
            }
            if (Verbs.takesValue(capability.getKey()) && !control.usesValue() && !control.usesPreset()) {
                problems.add(
                        profile.points().originOf("controls", verb),
                        "takes a value, but its parameter has neither {value} nor {preset}");
            }
            if (control.usesPreset()
                    && capability
                            .getValue()
                            .readBack()
                            .map(r -> r.expect().isPresent())
                            .orElse(true)) {
                problems.add(
                        profile.points().originOf("controls", verb),
                        "sets a preset, so the capability needs a value read-back (metric and tolerance)");
            }
            if (!capability.getValue().instances().isEmpty() && !control.usesInstance()) {
                problems.add(
                        profile.points().originOf("controls", verb),
                        "has instances, but its parameter has no {instance}");
            }
            capability.getValue().readBack().ifPresent(readBack -> {
                if (points.field(readBack.metric()).isEmpty() && !points.decodes(readBack.metric())) {
                    problems.add(
                            profile.points().originOf("controls", verb),
                            "is read back from " + readBack.metric() + ", which has no device-total field mapping");
                }
            });
        }
        for (String verb : points.controls().keySet()) {
            if (Verbs.parse(verb).map(v -> !capabilities.containsKey(v)).orElse(true)) {
                problems.add(
                        profile.points().originOf("controls", verb),
                        "not a capability of this profile; declare it under capabilities or remove it");
            }
        }
        if (problems.list().size() > before) {
            return null;
        }
        return new CgminerProfile(points, match);
    }

    @Override
    public boolean identifies() {
        return true;
    }

    /**
     * Sends each command the candidates' match rules read (usually just {@code version}) once, and
     * checks every candidate's rules against the replies.
     */
    @Override
    public Optional<FirmwareProfile> identify(
            DeviceConfig device,
            CgminerSettings settings,
            Map<FirmwareProfile, CgminerProfile> candidates,
            DriverContext context)
            throws IdentificationException, InterruptedException {
        Map<String, JsonNode> replies = new LinkedHashMap<>();
        CgminerException failure = null;
        for (CgminerProfile candidate : candidates.values()) {
            for (CgminerMatch rule : candidate.match()) {
                if (replies.containsKey(rule.command())) {
                    continue;
                }
                int port = settings.port().orElse(candidate.points().defaultPort());
                try (CgminerClient client = new CgminerClient(settings.host(), port, device.timeout())) {
                    replies.put(rule.command(), client.request(rule.command()).root());
                } catch (CgminerException e) {
                    if (e.isTransport()) {
                        throw new IdentificationException(
                                e.reason(),
                                "cannot ask " + settings.host() + ":" + port + " who it is: " + e.getMessage());
                    }
                    failure = e;
                    replies.put(rule.command(), null);
                }
            }
        }
        for (Map.Entry<FirmwareProfile, CgminerProfile> candidate : candidates.entrySet()) {
            for (CgminerMatch rule : candidate.getValue().match()) {
                JsonNode reply = replies.get(rule.command());
                if (reply != null && CgminerReadings.identifies(rule, reply)) {
                    return Optional.of(candidate.getKey());
                }
            }
        }
        if (failure != null && replies.values().stream().allMatch(java.util.Objects::isNull)) {
            throw new IdentificationException(
                    failure.reason(), "cannot ask " + settings.host() + " who it is: " + failure.getMessage());
        }
        return Optional.empty();
    }

    @Override
    public Driver create(
            DeviceConfig device,
            CgminerSettings settings,
            FirmwareProfile profile,
            CgminerProfile compiled,
            DriverContext context) {
        if (!NAME.equals(profile.driver())) {
            throw new IllegalArgumentException(
                    "profile " + profile.id() + " is for driver '" + profile.driver() + "', not " + NAME);
        }
        int port = settings.port().orElse(compiled.points().defaultPort());
        return new CgminerDriver(
                device.id(),
                settings.host(),
                port,
                device.timeout(),
                profile,
                compiled,
                context.wallClock(),
                context.rawReplies().recorder(device.id()));
    }
}
