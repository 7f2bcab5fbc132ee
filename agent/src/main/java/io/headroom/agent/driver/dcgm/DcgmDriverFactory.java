package io.headroom.agent.driver.dcgm;

import io.headroom.agent.config.DeviceConfig;
import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.DriverContext;
import io.headroom.agent.driver.DriverFactory;
import io.headroom.config.ConfigBinder;
import io.headroom.config.ConfigNode;
import io.headroom.config.Problems;
import io.headroom.profiles.FirmwareProfile;
import io.headroom.protocol.Verbs;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;

/** Builds {@link DcgmDriver}s for profiles with {@code driver: dcgm}. */
public final class DcgmDriverFactory implements DriverFactory<DcgmSettings, DcgmProfile> {

    /** The name profiles use. */
    public static final String NAME = "dcgm";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<DcgmSettings> settingsType() {
        return DcgmSettings.class;
    }

    @Override
    public DcgmProfile compile(FirmwareProfile profile, ConfigBinder binder, Problems problems) {
        int before = problems.list().size();
        DcgmPoints points = binder.bind(profile.points(), DcgmPoints.class, problems);
        List<DcgmMatch> match = new ArrayList<>();
        for (ConfigNode rule : profile.match()) {
            DcgmMatch bound = binder.bind(rule, DcgmMatch.class, problems);
            if (bound != null) {
                match.add(bound);
            }
        }
        if (points == null || problems.list().size() > before) {
            return null;
        }
        if (match.isEmpty()) {
            problems.add(profile.points().origin(), "profile " + profile.id() + ": a dcgm profile needs a match: rule");
        }
        for (var capability : profile.checkedCapabilities().keySet()) {
            problems.add(
                    profile.points().origin(),
                    "capability " + Verbs.name(capability)
                            + ": dcgm-exporter only exports; a dcgm profile can declare no capabilities");
        }
        return problems.list().size() > before ? null : new DcgmProfile(points, match);
    }

    @Override
    public Driver create(
            DeviceConfig device,
            DcgmSettings settings,
            FirmwareProfile profile,
            DcgmProfile compiled,
            DriverContext context) {
        if (!NAME.equals(profile.driver())) {
            throw new IllegalArgumentException(
                    "profile " + profile.id() + " is for driver '" + profile.driver() + "', not " + NAME);
        }
        int port = settings.port().orElse(compiled.points().defaultPort());
        String host = settings.host().contains(":") && !settings.host().startsWith("[")
                ? "[" + settings.host() + "]"
                : settings.host();
        URI uri;
        try {
            uri = new URI("http://" + host + ":" + port + compiled.points().path());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(
                    "host: '" + settings.host() + "' does not make a URL: " + e.getMessage(), e);
        }
        DcgmHttp http = context.shared(DcgmHttp.SHARED_KEY, DcgmHttp.class, DcgmHttp::new);
        return new DcgmDriver(
                device.id(),
                uri,
                device.timeout(),
                profile.id(),
                compiled,
                context.wallClock(),
                http,
                context.rawReplies().recorder(device.id()));
    }
}
