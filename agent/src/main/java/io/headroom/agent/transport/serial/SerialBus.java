package io.headroom.agent.transport.serial;

import io.headroom.agent.config.BusConfig;
import io.headroom.agent.transport.serial.SerialBusException.Reason;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.Closeable;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one owner of one serial port: every device on an RS-485 bus talks through it, one request and
 * its reply at a time, because a half-duplex line carries one frame at a time and a reply names no
 * request (Modbus RTU has no transaction id). Shared through the driver context:
 *
 * <pre>{@code
 * SerialBus bus = context.shared("serial:" + config.id(), SerialBus.class,
 *         () -> SerialBus.open(config, context.meters(), context.nanoTime()));
 * byte[] reply = bus.transact(request, FrameCompletion.lengthOrSilence(expected), timeout);
 * }</pre>
 *
 * <p>A transaction:
 * <ol>
 *   <li>waits for the bus (at most {@link SerialBusSettings#lockWait()}, then {@link Reason#BUSY});
 *   <li>opens the port if it is not open: lazily on first use, and again after a failed open (at
 *       most once per back-off step, so a missing adapter costs a file check, not a storm of opens) or
 *       after the port failed (a re-plugged USB adapter comes back);
 *   <li>discards whatever is waiting in the input (a late reply to an earlier request, noise) and
 *       waits until the line has been silent for the inter-frame gap since the last byte seen on it,
 *       ours or a device's; the discarded bytes are counted;
 *   <li>writes the request and reads until the {@link FrameCompletion} says the reply is complete, or
 *       the timeout (counted from the end of the request) passes;
 *   <li>after a timeout, drains the line (discarding what is still arriving until it falls silent for
 *       the gap) before giving up the bus, so that the next caller does not get this caller's reply.
 * </ol>
 *
 * <p>A reply later than the drain is discarded by the next transaction's step 3, if it arrives
 * before that transaction's request goes out. After that it cannot be told from the answer on the
 * wire; the protocol client checks what it can (Modbus: slave address, function code, CRC).
 *
 * <p>Waiting is done here, by polling the port every fraction of the gap, on the injected monotonic
 * clock; jSerialComm's own read timeouts come in tenths of a second. Failures are
 * {@link SerialBusException}s naming the bus, its port and the reason. Thread-safe.
 */
public final class SerialBus implements Closeable {

    /** The longest reply read; a Modbus RTU frame is at most 256 bytes. */
    public static final int MAX_REPLY_BYTES = 64 * 1024;

    private static final long MIN_POLL_NANOS = 200_000;
    private static final long MAX_POLL_NANOS = 2_000_000;

    private final Logger logger = LoggerFactory.getLogger(SerialBus.class);

    private final BusConfig config;
    private final SerialBusSettings settings;
    private final LongSupplier nanoTime;
    private final SerialBusMeters meters;
    private final long gapNanos;
    private final long charNanos;
    private final long pollNanos;
    private final ReentrantLock lock = new ReentrantLock(true);
    private final AtomicBoolean closed = new AtomicBoolean();

    // Guarded by lock (line is volatile only so that close() can release a port a stuck caller holds).
    private volatile SerialPortLine line;
    private final OpenBackoff backoff;
    private final byte[] buffer = new byte[MAX_REPLY_BYTES];
    private boolean reopening;
    private String lastOpenFailure = "";
    private boolean lineActive;
    private long lastActivity;

    private SerialBus(BusConfig config, SerialBusSettings settings, MeterRegistry registry, LongSupplier nanoTime) {
        this.config = Objects.requireNonNull(config, "config");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.meters = new SerialBusMeters(Objects.requireNonNull(registry, "meters"), config.id());
        this.backoff = new OpenBackoff(settings.reopenMin(), settings.reopenMax());
        this.gapNanos = config.effectiveInterFrameGap().toNanos();
        int bitsPerChar =
                1 + config.dataBits() + (config.parity() == BusConfig.Parity.NONE ? 0 : 1) + config.stopBits();
        this.charNanos = bitsPerChar * 1_000_000_000L / config.baud();
        this.pollNanos = Math.max(MIN_POLL_NANOS, Math.min(MAX_POLL_NANOS, gapNanos / 4));
    }

    /**
     * The owner of {@code config}'s port, with the default settings. Does not touch the port: it is
     * opened by the first transaction.
     *
     * @param nanoTime monotonic nanoseconds ({@link System#nanoTime} in production)
     */
    public static SerialBus open(BusConfig config, MeterRegistry meters, LongSupplier nanoTime) {
        return open(config, SerialBusSettings.DEFAULTS, meters, nanoTime);
    }

    /** As {@link #open(BusConfig, MeterRegistry, LongSupplier)}, with explicit lock wait and reopen back-off. */
    public static SerialBus open(
            BusConfig config, SerialBusSettings settings, MeterRegistry meters, LongSupplier nanoTime) {
        return new SerialBus(config, settings, meters, nanoTime);
    }

    public BusConfig config() {
        return config;
    }

    /** Sends {@code request} and returns a reply of exactly {@code expectedLength} bytes. */
    public byte[] transact(byte[] request, int expectedLength, Duration timeout)
            throws SerialBusException, InterruptedException {
        return transact(request, FrameCompletion.length(expectedLength), timeout);
    }

    /**
     * Sends {@code request} and returns the reply, as far as {@code completion} says it is complete.
     *
     * @param timeout how long the reply may take, from the end of the request; also bounds the wait for
     *     a silent line before it and the drain after a timeout
     * @throws SerialBusException with {@link SerialBusException#reason()} saying what failed
     * @throws InterruptedException while waiting for the bus or the reply; the next transaction
     *     discards a reply that arrives afterwards
     */
    public byte[] transact(byte[] request, FrameCompletion completion, Duration timeout)
            throws SerialBusException, InterruptedException {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(completion, "completion");
        Objects.requireNonNull(timeout, "timeout");
        if (request.length == 0) {
            throw new IllegalArgumentException("request: must not be empty");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout: must be positive, got " + timeout);
        }
        long timeoutNanos = timeout.toNanos();
        requireOpen();
        if (!lock.tryLock(settings.lockWait().toNanos(), TimeUnit.NANOSECONDS)) {
            throw new SerialBusException(
                    Reason.BUSY,
                    config.id(),
                    prefix() + "another transaction has held the bus" + " for more than "
                            + millis(settings.lockWait().toNanos()));
        }
        try {
            requireOpen();
            SerialPortLine port = ensureOpen();
            try {
                awaitQuietLine(port, timeoutNanos);
                port.write(request);
                meters.transactions.increment();
                long sent = nanoTime.getAsLong() + request.length * charNanos;
                markActivity(sent);
                return readReply(port, completion, sent, timeoutNanos);
            } catch (SerialBusException e) {
                if (e.reason() == Reason.IO_ERROR) {
                    dropPort(e);
                }
                throw e;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Releases the port; a transaction in progress ends with {@link Reason#CLOSED} and later ones fail
     * the same way. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        boolean locked = false;
        try {
            // A caller in a transaction sees the flag within one poll interval and lets go.
            locked = lock.tryLock(settings.lockWait().toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            SerialPortLine current = line;
            line = null;
            if (current != null) {
                current.close();
                logger.info("serial bus {}: closed {}", config.id(), config.port());
            }
        } finally {
            if (locked) {
                lock.unlock();
            }
        }
    }

    @Override
    public String toString() {
        return "SerialBus[" + config.id() + " on " + config.port() + "]";
    }

    private SerialPortLine ensureOpen() throws SerialBusException {
        SerialPortLine current = line;
        if (current != null) {
            return current;
        }
        long now = nanoTime.getAsLong();
        long wait = backoff.remaining(now);
        if (wait > 0) {
            throw new SerialBusException(
                    Reason.PORT_UNAVAILABLE, config.id(), lastOpenFailure + "; next attempt in " + millis(wait));
        }
        try {
            current = SerialPortLine.open(config);
        } catch (SerialBusException e) {
            meters.openFailures.increment();
            long delay = backoff.failed(now);
            lastOpenFailure = e.getMessage();
            if (!reopening) {
                // A status change: logged once; the retries only at debug.
                logger.warn("{}; retrying in {}, then less often", e.getMessage(), millis(delay));
            } else {
                logger.debug("{}; retrying in {}", e.getMessage(), millis(delay));
            }
            reopening = true;
            throw new SerialBusException(
                    e.reason(), config.id(), e.getMessage() + "; next attempt in " + millis(delay), e);
        }
        if (reopening) {
            meters.reopens.increment();
            logger.info("serial bus {}: {} open again", config.id(), config.port());
        } else {
            logger.info(
                    "serial bus {}: opened {} at {} baud {}{}{}",
                    config.id(),
                    config.port(),
                    config.baud(),
                    config.dataBits(),
                    config.parity().name().charAt(0),
                    config.stopBits());
        }
        reopening = false;
        backoff.reset();
        lineActive = false;
        if (closed.get()) {
            // close() gave up waiting for this caller and has already run: do not leave the port open.
            current.close();
            requireOpen();
        }
        line = current;
        return current;
    }

    /** Discards what is waiting and returns once nothing has been on the line for the gap. */
    private void awaitQuietLine(SerialPortLine port, long timeoutNanos)
            throws SerialBusException, InterruptedException {
        long start = nanoTime.getAsLong();
        long discarded = 0;
        while (true) {
            requireOpen();
            long now = nanoTime.getAsLong();
            int available = port.available();
            if (available > 0) {
                int n = discard(port, available);
                markActivity(nanoTime.getAsLong());
                discarded += n;
                meters.discardedStale.increment(n);
            } else if (!lineActive || now - lastActivity >= gapNanos) {
                if (discarded > 0) {
                    logger.debug("serial bus {}: discarded {} stale bytes before a request", config.id(), discarded);
                }
                return;
            }
            if (now - start >= timeoutNanos + gapNanos) {
                throw new SerialBusException(
                        Reason.LINE_NOT_QUIET,
                        config.id(),
                        prefix() + "the line did not fall "
                                + "silent for " + millis(gapNanos) + " within " + millis(timeoutNanos) + " ("
                                + discarded
                                + " bytes discarded): another master on the bus, or a device that keeps sending?");
            }
            if (available == 0) {
                pause();
            }
        }
    }

    private byte[] readReply(SerialPortLine port, FrameCompletion completion, long sent, long timeoutNanos)
            throws SerialBusException, InterruptedException {
        long deadline = sent + timeoutNanos;
        long lastByte = sent;
        int length = 0;
        while (true) {
            requireOpen();
            long now = nanoTime.getAsLong();
            int available = port.available();
            if (available > 0) {
                if (length == MAX_REPLY_BYTES) {
                    meters.discardedLate.increment(length);
                    drain(port, timeoutNanos);
                    throw new SerialBusException(
                            Reason.REPLY_TOO_LONG,
                            config.id(),
                            prefix() + "the reply grew past " + MAX_REPLY_BYTES + " bytes without completing");
                }
                int before = length;
                length += port.read(buffer, length, Math.min(available, MAX_REPLY_BYTES - length));
                lastByte = nanoTime.getAsLong();
                markActivity(lastByte);
                for (int n = before + 1; n <= length; n++) {
                    if (completion.isComplete(buffer, n)) {
                        meters.discardedTrailing.increment(length - n);
                        return Arrays.copyOf(buffer, n);
                    }
                }
            } else if (completion.endsOnSilence() && length > 0 && now - lastByte >= gapNanos) {
                return Arrays.copyOf(buffer, length);
            }
            if (now - deadline >= 0) {
                meters.timeouts.increment();
                meters.discardedLate.increment(length);
                drain(port, timeoutNanos);
                throw new SerialBusException(
                        Reason.TIMEOUT,
                        config.id(),
                        prefix() + "no complete reply within "
                                + millis(timeoutNanos)
                                + (length == 0
                                        ? " (nothing received)"
                                        : " (" + length + " bytes received, discarded)"));
            }
            if (available == 0) {
                pause();
            }
        }
    }

    /** Discards what arrives until the line is silent for the gap, for at most {@code limitNanos}. */
    private void drain(SerialPortLine port, long limitNanos) throws SerialBusException, InterruptedException {
        long start = nanoTime.getAsLong();
        while (!closed.get()) {
            long now = nanoTime.getAsLong();
            int available = port.available();
            if (available > 0) {
                int n = discard(port, available);
                markActivity(nanoTime.getAsLong());
                meters.discardedLate.increment(n);
                continue;
            }
            if (now - lastActivity >= gapNanos || now - start >= limitNanos) {
                return;
            }
            pause();
        }
    }

    private int discard(SerialPortLine port, int available) throws SerialBusException {
        int total = 0;
        while (total < available) {
            int n = port.read(buffer, 0, Math.min(available - total, buffer.length));
            if (n == 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    private void markActivity(long at) {
        if (!lineActive || at - lastActivity > 0) {
            lastActivity = at;
        }
        lineActive = true;
    }

    private void dropPort(SerialBusException cause) {
        logger.warn("{}", cause.getMessage());
        SerialPortLine current = line;
        line = null;
        reopening = true;
        if (current != null) {
            current.close();
        }
    }

    private void requireOpen() throws SerialBusException {
        if (closed.get()) {
            throw new SerialBusException(Reason.CLOSED, config.id(), prefix() + "the bus is closed (agent stopping)");
        }
    }

    private void pause() throws InterruptedException {
        LockSupport.parkNanos(this, pollNanos);
        if (Thread.interrupted()) {
            throw new InterruptedException("serial bus " + config.id() + ": interrupted");
        }
    }

    private String prefix() {
        return "serial bus " + config.id() + " (" + config.port() + "): ";
    }

    /** "1000 ms", or "4.011 ms" for a gap that is not whole milliseconds. */
    private static String millis(long nanos) {
        long micros = TimeUnit.NANOSECONDS.toMicros(nanos);
        return micros % 1000 == 0 ? micros / 1000 + " ms" : String.format(Locale.ROOT, "%.3f ms", micros / 1000.0);
    }
}
