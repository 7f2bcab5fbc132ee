package io.headroom.agent.driver.redfish;

import io.headroom.agent.driver.CommandOutcome;
import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.PollResult;
import io.headroom.profiles.Capability;
import io.headroom.profiles.FirmwareProfile;
import io.headroom.profiles.ReadBack;
import io.headroom.protocol.Verbs;
import io.headroom.protocol.wire.ResultStatus;
import io.headroom.protocol.wire.Verb;
import java.time.Clock;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Reads one Redfish service as its firmware profile says: a GPU or AI server's BMC (capped with
 * {@code set-power-cap}), a rack PDU (outlets switched with {@code #Outlet.PowerControl}) or a cooling
 * unit (read only). A poll reads the profile's resources one request each over one HTTPS connection (kept alive);
 * the service root, for the identity, at the first poll and every {@value #IDENTITY_EVERY}th. The
 * session is made by the first request and deleted by {@link #close()}.
 */
public final class RedfishDriver implements Driver {

    /** Polls between two reads of the service root. */
    static final int IDENTITY_EVERY = 10;
    /** Read-back tolerance of a profile whose capability names none, in W. */
    static final double DEFAULT_TOLERANCE_W = 1;

    private final String deviceId;
    private final RedfishSettings settings;
    private final FirmwareProfile profile;
    private final RedfishProfile compiled;
    private final String chassis;
    private final Clock clock;
    private final RedfishClient client;
    private volatile boolean closed;
    private int pollsSinceIdentity = IDENTITY_EVERY;

    RedfishDriver(
            String deviceId,
            RedfishSettings settings,
            FirmwareProfile profile,
            RedfishProfile compiled,
            RedfishClient client,
            Clock clock) {
        this.deviceId = deviceId;
        this.settings = settings;
        this.profile = profile;
        this.compiled = compiled;
        this.chassis = settings.chassis().orElse(compiled.points().defaultChassis());
        this.client = client;
        this.clock = clock;
    }

    @Override
    public PollResult poll() throws InterruptedException {
        if (closed) {
            return PollResult.offline(clock.instant(), RedfishFault.CLOSED, "driver closed");
        }
        boolean identify = pollsSinceIdentity >= IDENTITY_EVERY;
        PollResult result = RedfishPoll.run(client, compiled.points(), chassis, identify, clock.instant());
        if (closed) {
            return PollResult.offline(clock.instant(), RedfishFault.CLOSED, "driver closed");
        }
        if (identify && result.health() != io.headroom.protocol.wire.DeviceHealth.DEVICE_HEALTH_OFFLINE) {
            pollsSinceIdentity = 0;
        }
        pollsSinceIdentity++;
        return result;
    }

    @Override
    public CommandOutcome execute(Verb verb, double value, String instance) throws InterruptedException {
        if (closed) {
            return new CommandOutcome(
                    ResultStatus.RESULT_STATUS_FAILED, RedfishFault.CLOSED, "driver closed", OptionalDouble.empty());
        }
        Optional<Capability> capability = profile.capability(verb);
        Optional<RedfishPowerLimit> limit = compiled.points().powerLimit();
        Optional<RedfishOutlets> outlets = compiled.points().outlets();
        if (capability.isPresent() && verb == Verb.VERB_SET_POWER_CAP && limit.isPresent()) {
            double tolerance =
                    capability.get().readBack().map(ReadBack::tolerance).orElse(DEFAULT_TOLERANCE_W);
            return RedfishPowerCap.apply(client, limit.get(), chassis, value, tolerance);
        }
        if (capability.isPresent() && RedfishDriverFactory.OUTLET_VERBS.contains(verb) && outlets.isPresent()) {
            return RedfishOutletControl.apply(client, outlets.get(), chassis, verb, instance);
        }
        return new CommandOutcome(
                ResultStatus.RESULT_STATUS_REJECTED,
                "unsupported",
                profile.id() + " has no " + Verbs.name(verb) + " capability",
                OptionalDouble.empty());
    }

    @Override
    public void close() {
        closed = true;
        client.close();
    }

    @Override
    public String toString() {
        return "RedfishDriver[" + deviceId + " " + settings.scheme().spelt() + "://" + settings.host() + ":"
                + settings.port() + " " + profile.id() + "]";
    }
}
