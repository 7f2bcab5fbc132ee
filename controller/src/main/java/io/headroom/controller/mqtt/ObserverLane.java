package io.headroom.controller.mqtt;

import io.netty.channel.Channel;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The way agents' messages reach one observer: bounded and lossy by design, so that an observer
 * never slows an agent (issue 9: one observer cut ingest by a quarter and doubled agents' ack p99).
 *
 * <p>A publisher on any thread (usually an agent's event loop) only offers to a bounded queue; when
 * it is full the message is dropped and counted as {@code headroom.mqtt.dropped{reason=
 * "observer-lane-full"}}. At most one drain task at a time runs on the observer's own event loop
 * and moves what waits into its {@link OutboundDelivery}, whose own bounded queue then holds
 * messages while the observer's socket is not writable (dropping the oldest, counted as {@code
 * queue-full}). Memory per observer is bounded by the two queues.
 */
final class ObserverLane {
    private record Pending(OutboundMessage message, int qos) {}

    private final Channel channel;
    private final MqttSession session;
    private final MqttMetrics metrics;
    private final ArrayBlockingQueue<Pending> queue;
    private final AtomicBoolean scheduled = new AtomicBoolean();

    ObserverLane(MqttSession session, int capacity, MqttMetrics metrics) {
        this.session = session;
        this.channel = session.channel();
        this.metrics = metrics;
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    /** Any thread; never blocks. Returns false if the message was dropped. */
    boolean offer(OutboundMessage message, int qos) {
        if (!queue.offer(new Pending(message, qos))) {
            metrics.dropped(MqttMetrics.Drop.OBSERVER_LANE_FULL);
            return false;
        }
        if (scheduled.compareAndSet(false, true)) {
            try {
                channel.eventLoop().execute(this::drain);
            } catch (RejectedExecutionException e) {
                int discarded = queue.size();
                queue.clear(); // the endpoint is shutting down
                metrics.dropped(MqttMetrics.Drop.CONNECTION_CLOSED, discarded);
                return false;
            }
        }
        return true;
    }

    /** The connection ended: what still waits is counted as dropped. On the observer's event loop. */
    void discard() {
        int discarded = 0;
        while (queue.poll() != null) {
            discarded++;
        }
        if (discarded > 0) {
            metrics.dropped(MqttMetrics.Drop.CONNECTION_CLOSED, discarded);
        }
    }

    int waiting() {
        return queue.size();
    }

    private void drain() {
        scheduled.set(false);
        OutboundDelivery outbound = session.outbound();
        boolean open =
                outbound != null && !session.closing() && session.channel().isActive();
        Pending next;
        int discarded = 0;
        while ((next = queue.poll()) != null) {
            if (open) {
                outbound.add(next.message(), next.qos(), false);
            } else {
                discarded++;
            }
        }
        if (discarded > 0) {
            metrics.dropped(MqttMetrics.Drop.CONNECTION_CLOSED, discarded);
        }
        if (open) {
            outbound.drain();
        }
    }
}
