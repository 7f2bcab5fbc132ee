package io.headroom.agent.driver;

import io.headroom.agent.config.DeviceConfig;
import io.headroom.profiles.FirmwareProfile;
import io.headroom.protocol.wire.ResultStatus;
import io.headroom.protocol.wire.Verb;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver of a device configured with {@code profile: auto}: until the device has said who it is,
 * each poll asks it (through its driver's {@link DriverFactory#identify}) and reports OFFLINE
 * {@code unidentified} or the transport's reason; from the first answer that matches a profile on,
 * it is the real driver of that profile. The profile never changes afterwards: a device that is
 * re-flashed is a new device to this agent (restart it).
 *
 * <p>Until identified the device supports no command (REJECTED {@code unidentified}); its Birth names
 * no profile and declares no capabilities. Its first readings after identification are new metrics,
 * which make the publisher send a new Birth with the profile and its capabilities.
 *
 * @param <S> the driver's settings record
 * @param <P> the driver's compiled profile
 */
final class IdentifyingDriver<S extends Record, P> implements Driver {

    /** Reason of the OFFLINE status while the device answers but matches no profile. */
    static final String UNIDENTIFIED = "unidentified";

    private static final Logger logger = LoggerFactory.getLogger(IdentifyingDriver.class);

    private final DriverFactory<S, P> factory;
    private final DeviceConfig device;
    private final S settings;
    private final Map<FirmwareProfile, P> candidates;
    private final DriverContext context;
    private volatile FirmwareProfile profile;
    private volatile Driver delegate;
    private volatile boolean closed;

    IdentifyingDriver(
            DriverFactory<S, P> factory,
            DeviceConfig device,
            S settings,
            Map<FirmwareProfile, P> candidates,
            DriverContext context) {
        this.factory = factory;
        this.device = device;
        this.settings = settings;
        // Catalogue order decides between candidates that both match; Map.copyOf would lose it.
        this.candidates = Collections.unmodifiableMap(new LinkedHashMap<>(candidates));
        this.context = context;
    }

    /** The profile the device was identified as, once it has been. */
    Optional<FirmwareProfile> profile() {
        return Optional.ofNullable(profile);
    }

    @Override
    public PollResult poll() throws InterruptedException {
        Driver driver = delegate;
        if (driver == null) {
            if (closed) {
                return PollResult.offline(context.wallClock().instant(), "closed", "driver closed");
            }
            Optional<PollResult> notYet = identify();
            if (notYet.isPresent()) {
                return notYet.get();
            }
            driver = delegate;
        }
        return driver.poll();
    }

    /** Empty once identified; otherwise the OFFLINE result that says why not. */
    private Optional<PollResult> identify() throws InterruptedException {
        Optional<FirmwareProfile> found;
        try {
            found = factory.identify(device, settings, candidates, context);
        } catch (IdentificationException e) {
            return Optional.of(PollResult.offline(context.wallClock().instant(), e.reason(), e.getMessage()));
        }
        if (found.isEmpty()) {
            return Optional.of(PollResult.offline(
                    context.wallClock().instant(),
                    UNIDENTIFIED,
                    "answers, but matches" + " no " + factory.name() + " profile (tried "
                            + String.join(", ", candidateIds()) + ")"));
        }
        FirmwareProfile identified = found.get();
        Driver created = factory.create(device, settings, identified, candidates.get(identified), context);
        synchronized (this) {
            if (closed) {
                created.close();
                return Optional.of(PollResult.offline(context.wallClock().instant(), "closed", "driver closed"));
            }
            delegate = created;
            profile = identified;
        }
        logger.info("device {}: identified as {} ({})", device.id(), identified.id(), identified.description());
        return Optional.empty();
    }

    private List<String> candidateIds() {
        return candidates.keySet().stream().map(FirmwareProfile::id).sorted().toList();
    }

    @Override
    public CommandOutcome execute(Verb verb, double value, String instance) throws InterruptedException {
        Driver driver = delegate;
        if (driver == null) {
            return new CommandOutcome(
                    ResultStatus.RESULT_STATUS_REJECTED,
                    UNIDENTIFIED,
                    "device " + device.id() + " has not said which firmware it runs yet",
                    OptionalDouble.empty());
        }
        return driver.execute(verb, value, instance);
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (delegate != null) {
            delegate.close();
        }
    }

    @Override
    public String toString() {
        return "IdentifyingDriver[" + device.id() + " " + factory.name() + " "
                + (profile == null ? "unidentified" : profile.id()) + "]";
    }
}
