package io.headroom.agent.driver.whatsminer;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builds {@link WhatsminerDriver}s for profiles with {@code driver: whatsminer}. */
public final class WhatsminerDriverFactory implements DriverFactory<WhatsminerSettings, WhatsminerProfile> {

    /** The name profiles and device blocks use. */
    public static final String NAME = "whatsminer";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<WhatsminerSettings> settingsType() {
        return WhatsminerSettings.class;
    }

    @Override
    public WhatsminerProfile compile(FirmwareProfile profile, ConfigBinder binder, Problems problems) {
        int before = problems.list().size();
        WhatsminerPoints points = binder.bind(profile.points(), WhatsminerPoints.class, problems);
        List<WhatsminerMatch> match = new ArrayList<>();
        for (ConfigNode rule : profile.match()) {
            WhatsminerMatch bound = binder.bind(rule, WhatsminerMatch.class, problems);
            if (bound != null) {
                match.add(bound);
            }
        }
        if (points == null || problems.list().size() > before) {
            return null;
        }
        ConfigNode.Origin at = profile.points().origin();
        if (match.isEmpty()) {
            problems.add(at, "profile " + profile.id() + ": a whatsminer profile needs at least one match: rule");
        }
        for (WhatsminerMatch rule : match) {
            WhatsminerRead read = WhatsminerRead.byKey(rule.read());
            if (read == null || WhatsminerRead.apiOf(read) != points.api()) {
                problems.add(
                        at,
                        "match: read '" + rule.read() + "' is not an API "
                                + points.api().spelling() + " read; use "
                                + WhatsminerRead.identity(points.api()).key());
            }
        }
        for (Map.Entry<Verb, Capability> capability :
                profile.checkedCapabilities().entrySet()) {
            Verb verb = capability.getKey();
            String name = Verbs.name(verb);
            if (!WhatsminerControls.SUPPORTED.contains(verb)) {
                problems.add(
                        profile.points().originOf("api"),
                        "capability " + name + " is not something the whatsminer driver can send");
                continue;
            }
            Optional<io.headroom.profiles.ReadBack> readBack =
                    capability.getValue().readBack();
            if (verb == Verb.VERB_SET_POWER_TARGET) {
                if (readBack.isEmpty() || !readBack.get().metric().equals("power.target")) {
                    problems.add(at, "capability set-power-target must be read back from power.target");
                }
                if (points.powerMethod() == PowerMethod.SET_POWER_PCT) {
                    capability.getValue().range().ifPresent(range -> {
                        if (range.max() > 0.99 * points.nominalPowerWatts()
                                || range.min() < 0.01 * points.nominalPowerWatts()) {
                            problems.add(
                                    at,
                                    "set-power-target range " + range.min() + ".." + range.max()
                                            + " W is outside set_power_pct's 1..99 % of " + points.nominalPowerWatts()
                                            + " W");
                        }
                    });
                }
            }
            if ((verb == Verb.VERB_SLEEP || verb == Verb.VERB_WAKE)
                    && (readBack.isEmpty() || !readBack.get().metric().equals("mode"))) {
                problems.add(at, "capability " + name + " must be read back from mode");
            }
        }
        if (problems.list().size() > before) {
            return null;
        }
        return new WhatsminerProfile(points, match);
    }

    @Override
    public boolean identifies() {
        return true;
    }

    /**
     * Asks the device the reads the candidates' match rules need, v3 candidates first (with
     * {@code api: auto}), and returns the first candidate whose rule matches. An API whose port does
     * not answer is skipped; when none answers the device cannot be asked.
     */
    @Override
    public Optional<FirmwareProfile> identify(
            DeviceConfig device,
            WhatsminerSettings settings,
            Map<FirmwareProfile, WhatsminerProfile> candidates,
            DriverContext context)
            throws IdentificationException, InterruptedException {
        List<Map.Entry<FirmwareProfile, WhatsminerProfile>> ordered = new ArrayList<>();
        for (WhatsminerApi api : List.of(WhatsminerApi.V3, WhatsminerApi.V2)) {
            if (settings.api() != WhatsminerApi.AUTO && settings.api() != api) {
                continue;
            }
            for (Map.Entry<FirmwareProfile, WhatsminerProfile> c : candidates.entrySet()) {
                if (c.getValue().api() == api) {
                    ordered.add(c);
                }
            }
        }
        Map<String, JsonNode> replies = new HashMap<>();
        Map<WhatsminerApi, WhatsminerException> unreachable = new HashMap<>();
        WhatsminerException last = null;
        try (WhatsminerTransport transport = new WhatsminerTransport(settings.host(), device.timeout())) {
            for (Map.Entry<FirmwareProfile, WhatsminerProfile> candidate : ordered) {
                WhatsminerApi api = candidate.getValue().api();
                for (WhatsminerMatch rule : candidate.getValue().match()) {
                    if (unreachable.containsKey(api)) {
                        break;
                    }
                    WhatsminerRead read = WhatsminerRead.byKey(rule.read());
                    if (!replies.containsKey(rule.read())) {
                        try {
                            replies.put(rule.read(), ask(transport, settings, api, read, context));
                        } catch (WhatsminerException e) {
                            last = e;
                            if (e.isTransport()) {
                                unreachable.put(api, e);
                            }
                            replies.put(rule.read(), null);
                        }
                    }
                    JsonNode reply = replies.get(rule.read());
                    if (reply != null && rule.matches(reply)) {
                        return Optional.of(candidate.getKey());
                    }
                }
            }
        }
        boolean anyAnswer = replies.values().stream().anyMatch(java.util.Objects::nonNull);
        if (!anyAnswer && last != null) {
            throw new IdentificationException(
                    last.reason(), "cannot ask " + settings.host() + " who it is: " + last.getMessage());
        }
        return Optional.empty();
    }

    private static JsonNode ask(
            WhatsminerTransport transport,
            WhatsminerSettings settings,
            WhatsminerApi api,
            WhatsminerRead read,
            DriverContext context)
            throws WhatsminerException, InterruptedException {
        if (api == WhatsminerApi.V3) {
            return new WhatsminerV3Api(transport, settings.v3Port(), context.wallClock())
                    .read(read.command(), read.param());
        }
        return new WhatsminerV2Api(transport, settings.v2Port(), context.monotonic()).read(read.command());
    }

    @Override
    public Driver create(
            DeviceConfig device,
            WhatsminerSettings settings,
            FirmwareProfile profile,
            WhatsminerProfile compiled,
            DriverContext context) {
        if (!NAME.equals(profile.driver())) {
            throw new IllegalArgumentException(
                    "profile " + profile.id() + " is for driver '" + profile.driver() + "', not " + NAME);
        }
        return new WhatsminerDriver(
                device.id(), settings, device.credentials(), device.timeout(), profile, compiled, context);
    }
}
