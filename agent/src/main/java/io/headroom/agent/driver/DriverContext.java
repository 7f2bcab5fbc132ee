package io.headroom.agent.driver;

import io.headroom.agent.config.BusConfig;
import io.headroom.agent.rawreply.RawReplyBook;
import io.headroom.agent.time.MonotonicClock;
import io.headroom.config.SecretResolver;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.Closeable;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every driver factory is handed: the clocks (injected, so that drivers and their tests never
 * read the system's time behind the scheduler's back), the meter registry, the secrets resolver, the
 * serial buses declared in {@code agent.yaml}, and the agent's shared transports.
 *
 * <p>A shared transport is one per agent and key, opened on first use and closed when the agent
 * stops: one SNMP session (UDP socket) for every SNMP device, one owner per serial bus for all the
 * Modbus slaves on it. {@link #shared} hands every caller of a key the same instance.
 */
public final class DriverContext implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(DriverContext.class);

    private final Clock wallClock;
    private final MonotonicClock monotonic;
    private final MeterRegistry meters;
    private final SecretResolver secrets;
    private final Map<String, BusConfig> buses;
    private final Map<String, Object> shared = new LinkedHashMap<>();
    private final List<Closeable> toClose = new ArrayList<>();
    private final RawReplyBook rawReplies;
    private boolean closed;

    /**
     * @param wallClock time stamps of readings and results
     * @param monotonic time for deadlines and timeouts ({@link MonotonicClock#system()} in production)
     * @param meters where drivers register their own meters
     * @param secrets reads device credentials where their references point
     * @param buses the serial buses of {@code agent.yaml}, by id
     */
    public DriverContext(
            Clock wallClock,
            MonotonicClock monotonic,
            MeterRegistry meters,
            SecretResolver secrets,
            Map<String, BusConfig> buses) {
        this.wallClock = Objects.requireNonNull(wallClock, "wallClock");
        this.monotonic = Objects.requireNonNull(monotonic, "monotonic");
        this.meters = Objects.requireNonNull(meters, "meters");
        this.secrets = Objects.requireNonNull(secrets, "secrets");
        this.buses = Collections.unmodifiableMap(new LinkedHashMap<>(buses));
        this.rawReplies = new RawReplyBook(wallClock);
    }

    public Clock wallClock() {
        return wallClock;
    }

    /** Monotonic time, for deadlines; never compared with wall time. */
    public MonotonicClock monotonic() {
        return monotonic;
    }

    public MeterRegistry meters() {
        return meters;
    }

    public SecretResolver secrets() {
        return secrets;
    }

    /**
     * Where each device's transport keeps the raw replies of its last poll, for a technician's bug
     * report (the {@code read-last-reply} verb).
     */
    public RawReplyBook rawReplies() {
        return rawReplies;
    }

    /** A serial bus declared under {@code buses:}. */
    public Optional<BusConfig> bus(String id) {
        return Optional.ofNullable(buses.get(id));
    }

    /**
     * The agent's one instance of a shared transport, opened by {@code opener} on first use. Every
     * caller with the same key gets the same object; it is closed when the agent stops, after every
     * driver.
     *
     * @param key e.g. {@code snmp} or {@code serial:rs485-a}
     * @throws ClassCastException when the key is already in use for another type (a programming error)
     * @throws IllegalStateException after {@link #close()}
     */
    public synchronized <T extends Closeable> T shared(String key, Class<T> type, Supplier<T> opener) {
        if (closed) {
            throw new IllegalStateException("driver context closed");
        }
        Object existing = shared.get(key);
        if (existing != null) {
            return type.cast(existing);
        }
        T created = Objects.requireNonNull(opener.get(), "opener returned null for " + key);
        shared.put(key, created);
        toClose.add(created);
        return created;
    }

    /** Closes every shared transport, newest first. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.get(i).close();
            } catch (IOException | RuntimeException e) {
                logger.warn("closing a shared transport failed", e);
            }
        }
        toClose.clear();
        shared.clear();
    }
}
