package io.headroom.agent.driver.antminer;

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
import io.headroom.protocol.Mode;
import io.headroom.protocol.Verbs;
import io.headroom.protocol.wire.Verb;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builds {@link AntminerDriver}s for profiles with {@code driver: antminer-web}. */
public final class AntminerDriverFactory implements DriverFactory<AntminerSettings, AntminerProfile> {

    /** The name profiles and device blocks use. */
    public static final String NAME = "antminer-web";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<AntminerSettings> settingsType() {
        return AntminerSettings.class;
    }

    @Override
    public AntminerProfile compile(FirmwareProfile profile, ConfigBinder binder, Problems problems) {
        int before = problems.list().size();
        AntminerPoints points = binder.bind(profile.points(), AntminerPoints.class, problems);
        List<AntminerMatch> match = new ArrayList<>();
        for (ConfigNode rule : profile.match()) {
            AntminerMatch bound = binder.bind(rule, AntminerMatch.class, problems);
            if (bound != null) {
                match.add(bound);
            }
        }
        if (points == null || problems.list().size() > before) {
            return null;
        }
        ConfigNode.Origin at = profile.points().origin();
        if (match.isEmpty()) {
            problems.add(at, "profile " + profile.id() + ": an antminer-web profile needs at least one match: rule");
        }
        for (Map.Entry<Verb, Capability> capability :
                profile.checkedCapabilities().entrySet()) {
            Verb verb = capability.getKey();
            String name = Verbs.name(verb);
            if (!AntminerControls.SUPPORTED.contains(verb)) {
                problems.add(at, "capability " + name + " is not something the antminer-web driver can send");
                continue;
            }
            if (verb != Verb.VERB_SLEEP && verb != Verb.VERB_WAKE) {
                continue;
            }
            String control = verb == Verb.VERB_SLEEP ? "sleep" : "wake";
            String code = points.controls().get(control);
            if (code == null) {
                problems.add(at, "capability " + name + " needs controls." + control + ": the mode code it writes");
                continue;
            }
            Mode mode = points.modes().get(code);
            if (verb == Verb.VERB_SLEEP ? mode != Mode.SLEEP : mode == Mode.SLEEP) {
                problems.add(
                        at,
                        "controls." + control + ": code '" + code + "' means " + mode + ", not "
                                + (verb == Verb.VERB_SLEEP ? "sleep" : "a mining mode"));
            }
            Optional<ReadBack> readBack = capability.getValue().readBack();
            if (readBack.isEmpty() || !readBack.get().metric().equals("mode")) {
                problems.add(at, "capability " + name + " must be read back from mode");
            }
        }
        for (String control : points.controls().keySet()) {
            Verb verb = control.equals("sleep") ? Verb.VERB_SLEEP : Verb.VERB_WAKE;
            if (profile.capability(verb).isEmpty()) {
                problems.add(at, "controls." + control + ": no " + control + " capability declares it");
            }
        }
        if (problems.list().size() > before) {
            return null;
        }
        return new AntminerProfile(points, match);
    }

    @Override
    public boolean identifies() {
        return true;
    }

    /** Asks the CGIs the candidates' match rules name and returns the first candidate whose rule matches. */
    @Override
    public Optional<FirmwareProfile> identify(
            DeviceConfig device,
            AntminerSettings settings,
            Map<FirmwareProfile, AntminerProfile> candidates,
            DriverContext context)
            throws IdentificationException, InterruptedException {
        Map<String, JsonNode> replies = new HashMap<>();
        AntminerException last = null;
        try (HttpTransport transport = transport(device, context)) {
            AntminerWebClient client = new AntminerWebClient(
                    device.id(),
                    settings,
                    transport,
                    new DigestAuthenticator(new SecureRandom()),
                    () -> password(device, settings, context));
            for (Map.Entry<FirmwareProfile, AntminerProfile> candidate : candidates.entrySet()) {
                for (AntminerMatch rule : candidate.getValue().match()) {
                    if (!replies.containsKey(rule.cgi())) {
                        try {
                            replies.put(rule.cgi(), client.get(rule.cgi(), device.timeout()));
                        } catch (AntminerException e) {
                            last = e;
                            replies.put(rule.cgi(), null);
                            if (e.isTransport()
                                    || e.reason().startsWith("auth")
                                    || e.reason().equals("no-credentials")) {
                                throw new IdentificationException(
                                        e.reason(), "cannot ask " + settings.host() + " who it is: " + e.getMessage());
                            }
                        }
                    }
                    JsonNode reply = replies.get(rule.cgi());
                    if (reply != null && rule.matches(reply)) {
                        return Optional.of(candidate.getKey());
                    }
                }
            }
        }
        if (last != null && replies.values().stream().allMatch(java.util.Objects::isNull)) {
            throw new IdentificationException(
                    last.reason(), "cannot ask " + settings.host() + " who it is: " + last.getMessage());
        }
        return Optional.empty();
    }

    private static char[] password(DeviceConfig device, AntminerSettings settings, DriverContext context)
            throws AntminerException {
        if (device.credentials().isEmpty()) {
            throw new AntminerException(
                    AntminerException.NO_CREDENTIALS,
                    "device " + device.id() + " has no credentials: the stock firmware's CGIs need the web"
                            + " password of user '" + settings.username() + "'");
        }
        try {
            return context.secrets().resolve(device.credentials().get());
        } catch (java.io.IOException e) {
            throw new AntminerException(
                    AntminerException.NO_CREDENTIALS, "device " + device.id() + ": " + e.getMessage(), false, e);
        }
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
            AntminerSettings settings,
            FirmwareProfile profile,
            AntminerProfile compiled,
            DriverContext context) {
        if (!NAME.equals(profile.driver())) {
            throw new IllegalArgumentException(
                    "profile " + profile.id() + " is for driver '" + profile.driver() + "', not " + NAME);
        }
        return new AntminerDriver(
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
