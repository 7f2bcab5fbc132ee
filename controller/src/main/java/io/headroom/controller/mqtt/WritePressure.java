package io.headroom.controller.mqtt;

import io.netty.channel.Channel;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Back-pressure of one accepted connection (issue 9): while Netty says the channel is not writable
 * (its unsent bytes passed {@link MqttLimits#writeBufferHighBytes()}), the endpoint stops reading
 * it. Every PUBLISH read costs a PUBACK and usually an application ack; a client that publishes
 * but does not read would otherwise make the endpoint queue replies without bound. Not reading
 * pushes the pressure back into TCP and so into the client (an agent's outbox holds the data).
 *
 * <p>A connection that stays unwritable for {@link MqttLimits#unwritableTimeoutSeconds()} is
 * closed as a slow consumer, logged and counted as {@code headroom.mqtt.disconnects{reason=
 * "unwritable"}}. No DISCONNECT is sent: it could not be delivered. Time is the endpoint's clock,
 * checked every second (or every timeout, if shorter) while the connection is paused.
 *
 * <p>Confined to the channel's event loop.
 */
final class WritePressure {
    static final String UNWRITABLE = "unwritable";

    private static final Logger logger = LoggerFactory.getLogger(WritePressure.class);
    private static final long MAX_CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final EndpointContext context;
    private final MqttSession session;
    private final long timeoutNanos;
    private boolean paused;
    private long pausedAtNanos;
    private @Nullable ScheduledFuture<?> check;

    WritePressure(EndpointContext context, MqttSession session) {
        this.context = context;
        this.session = session;
        this.timeoutNanos = TimeUnit.SECONDS.toNanos(context.limits().unwritableTimeoutSeconds());
    }

    /** True while the connection is not read because it cannot be written to. */
    boolean paused() {
        return paused;
    }

    /** The channel's writability changed (or may have): pause or resume reading accordingly. */
    void update() {
        Channel channel = session.channel();
        if (!channel.isWritable() && channel.isActive()) {
            pause(channel);
        } else {
            resume(channel);
        }
    }

    private void pause(Channel channel) {
        // Also while closing: a DISCONNECT queued behind unsent bytes may never leave, and the
        // timeout below is then what closes the connection.
        if (paused) {
            return;
        }
        paused = true;
        pausedAtNanos = context.nanoTime();
        channel.config().setAutoRead(false);
        context.metrics().readPaused(1);
        long every = Math.min(timeoutNanos, MAX_CHECK_NANOS);
        check = channel.eventLoop().scheduleAtFixedRate(this::checkTimeout, every, every, TimeUnit.NANOSECONDS);
        logger.debug(
                "MQTT: {} has {} bytes unsent; not reading it until it drains",
                session,
                channel.unsafe().outboundBuffer() == null
                        ? 0
                        : channel.unsafe().outboundBuffer().totalPendingWriteBytes());
    }

    private void resume(Channel channel) {
        if (!paused) {
            return;
        }
        stop();
        if (!session.closing() && channel.isActive()) {
            channel.config().setAutoRead(true);
        }
    }

    /** The connection ended: stop the timer and uncount the pause. */
    void stop() {
        if (!paused) {
            return;
        }
        paused = false;
        context.metrics().readPaused(-1);
        ScheduledFuture<?> pending = check;
        check = null;
        if (pending != null) {
            pending.cancel(false);
        }
    }

    private void checkTimeout() {
        if (!paused) {
            return;
        }
        long unwritableNanos = context.nanoTime() - pausedAtNanos;
        if (unwritableNanos < timeoutNanos) {
            return;
        }
        context.metrics().disconnected(UNWRITABLE);
        context.log()
                .warn(
                        UNWRITABLE,
                        "MQTT: closing {}: it has not read what the endpoint sent for {} s (unwritable; a slow"
                                + " consumer)",
                        session,
                        TimeUnit.NANOSECONDS.toSeconds(unwritableNanos));
        session.markClosing();
        stop();
        session.channel().close();
    }
}
