package io.headroom.agent.driver.braiins;

import com.fasterxml.jackson.databind.JsonNode;
import io.headroom.agent.config.DeviceConfig;
import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.DriverContext;
import io.headroom.agent.driver.DriverFactory;
import io.headroom.agent.driver.IdentificationException;
import io.headroom.agent.transport.http.HttpTransport;
import io.headroom.agent.transport.http.HttpTransportException;
import io.headroom.agent.transport.http.HttpTransportSettings;
import io.headroom.config.ConfigBinder;
import io.headroom.config.ConfigNode;
import io.headroom.config.Problems;
import io.headroom.profiles.Capability;
import io.headroom.profiles.FirmwareProfile;
import io.headroom.profiles.ReadBack;
import io.headroom.protocol.MetricDictionary;
import io.headroom.protocol.Verbs;
import io.headroom.protocol.wire.Verb;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Builds {@link BraiinsDriver}s for profiles with {@code driver: braiins}. */
public final class BraiinsDriverFactory implements DriverFactory<BraiinsSettings, BraiinsProfile> {

    /** The name profiles and device blocks use. */
    public static final String NAME = "braiins";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<BraiinsSettings> settingsType() {
        return BraiinsSettings.class;
    }

    @Override
    public BraiinsProfile compile(FirmwareProfile profile, ConfigBinder binder, Problems problems) {
        int before = problems.list().size();
        BraiinsPoints points = binder.bind(profile.points(), BraiinsPoints.class, problems);
        List<BraiinsMatch> match = new ArrayList<>();
        for (ConfigNode rule : profile.match()) {
            BraiinsMatch bound = binder.bind(rule, BraiinsMatch.class, problems);
            if (bound != null) {
                match.add(bound);
            }
        }
        if (points == null || problems.list().size() > before) {
            return null;
        }
        ConfigNode.Origin at = profile.points().origin();
        if (match.isEmpty()) {
            problems.add(at, "profile " + profile.id() + ": a braiins profile needs at least one match: rule");
        }
        for (Map.Entry<Verb, Capability> capability :
                profile.checkedCapabilities().entrySet()) {
            Verb verb = capability.getKey();
            String name = Verbs.name(verb);
            if (!BraiinsControls.SUPPORTED.contains(verb)) {
                problems.add(at, "capability " + name + " is not something the braiins driver can send");
                continue;
            }
            Optional<ReadBack> readBack = capability.getValue().readBack();
            if (verb == Verb.VERB_SET_POWER_TARGET
                    && (readBack.isEmpty() || !readBack.get().metric().equals(MetricDictionary.POWER_TARGET))) {
                problems.add(at, "capability " + name + " must be read back from power.target");
            }
            if ((verb == Verb.VERB_SLEEP || verb == Verb.VERB_WAKE)
                    && (readBack.isEmpty() || !readBack.get().metric().equals(MetricDictionary.MODE))) {
                problems.add(at, "capability " + name + " must be read back from mode");
            }
        }
        if (problems.list().size() > before) {
            return null;
        }
        return new BraiinsProfile(points, match);
    }

    @Override
    public boolean identifies() {
        return true;
    }

    /** Asks the reads the candidates' match rules name and returns the first candidate whose rule matches. */
    @Override
    public Optional<FirmwareProfile> identify(
            DeviceConfig device,
            BraiinsSettings settings,
            Map<FirmwareProfile, BraiinsProfile> candidates,
            DriverContext context)
            throws IdentificationException, InterruptedException {
        Map<String, JsonNode> replies = new HashMap<>();
        BraiinsException last = null;
        try (HttpTransport transport = transport(device, context)) {
            BraiinsClient client = new BraiinsClient(
                    device.id(),
                    settings,
                    transport,
                    () -> BraiinsDriver.password(device.id(), device.credentials(), context));
            for (Map.Entry<FirmwareProfile, BraiinsProfile> candidate : candidates.entrySet()) {
                for (BraiinsMatch rule : candidate.getValue().match()) {
                    if (!replies.containsKey(rule.endpoint())) {
                        try {
                            replies.put(rule.endpoint(), client.get(rule.endpoint(), device.timeout()));
                        } catch (BraiinsException e) {
                            last = e;
                            replies.put(rule.endpoint(), null);
                            if (e.stopsPoll()) {
                                throw new IdentificationException(
                                        e.reason(), "cannot ask " + settings.host() + " who it is: " + e.getMessage());
                            }
                        }
                    }
                    JsonNode reply = replies.get(rule.endpoint());
                    if (reply != null && rule.matches(reply)) {
                        return Optional.of(candidate.getKey());
                    }
                }
            }
        }
        if (last != null && replies.values().stream().allMatch(Objects::isNull)) {
            throw new IdentificationException(
                    last.reason(), "cannot ask " + settings.host() + " who it is: " + last.getMessage());
        }
        return Optional.empty();
    }

    /** The device's HTTP transport, keeping what it asks and hears in a poll for the raw last reply. */
    private static HttpTransport transport(DeviceConfig device, DriverContext context) {
        try {
            return HttpTransport.open(
                    device.id(),
                    HttpTransportSettings.defaults(),
                    device.timeout(),
                    "none",
                    context.rawReplies().recorder(device.id()));
        } catch (HttpTransportException e) {
            throw new IllegalStateException("device " + device.id() + ": cannot set up HTTP: " + e.getMessage(), e);
        }
    }

    @Override
    public Driver create(
            DeviceConfig device,
            BraiinsSettings settings,
            FirmwareProfile profile,
            BraiinsProfile compiled,
            DriverContext context) {
        if (!NAME.equals(profile.driver())) {
            throw new IllegalArgumentException(
                    "profile " + profile.id() + " is for driver '" + profile.driver() + "', not " + NAME);
        }
        return new BraiinsDriver(
                device.id(),
                settings,
                device.credentials(),
                device.timeout(),
                profile,
                compiled,
                transport(device, context),
                context);
    }
}
