package io.headroom.controller.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.controller.engine.CurtailedDevice;
import io.headroom.controller.store.DeviceView;
import io.headroom.controller.store.MetricReading;
import io.headroom.controller.store.StateStore;
import io.headroom.controller.triage.DeviceTriage;
import io.headroom.controller.triage.TriageRules;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device stream behind {@code GET /api/v1/stream}: server-sent events (WHATWG HTML §9.2) that
 * keep a page's device table live without refetching it. A new stream first gets one
 * {@code snapshot} event (every device, as {@code GET /api/v1/devices} shows them), then, each
 * interval, one {@code devices} event with the devices that changed since (a new reading, a new
 * status) and a {@code removed} event for devices that are gone — coalesced per stream, so a stream
 * that could not be written to for a while gets the current state of everything it missed in one
 * event, never a backlog. One thread computes what changed, once for all streams; it never waits on
 * a socket: a stream whose connection stays unwritable (a client that does not read) past
 * {@code unwritableTimeout} is closed and counted, and the others go on. At most
 * {@code maxStreams} at once; more get 503.
 *
 * <p>The same stream carries the page's other views ({@link ViewEvents}: {@code site}, {@code grid-events},
 * {@code decisions}, {@code alerts}), each in the snapshot and then whenever its JSON changed, coalesced
 * alike: a stream is sent the latest of each view it has not seen, once per interval (D54).
 *
 * <p>A device page's stream ({@code GET /api/v1/stream/device/{id}}, D59) is a stream of the same kind, under the same
 * cap, session rule, slow-client rule and heartbeat, whose events are its device's parts ({@link DevicePageEvents})
 * rather than the site's. A tick with only such streams open neither scans the store nor builds the site's views.
 */
final class DeviceEvents implements AutoCloseable {

    static final String CONTENT_TYPE = "text/event-stream; charset=utf-8";

    private static final Logger logger = LoggerFactory.getLogger(DeviceEvents.class);
    /** A comment line at least this often, so that proxies and the browser keep the connection. */
    private static final Duration HEARTBEAT = Duration.ofSeconds(15);
    /** Devices per part of the snapshot: about 0.5 MB of JSON, a few milliseconds for the page to take in. */
    static final int SNAPSHOT_PART = 1_000;

    private final StateStore store;
    private final ViewEvents views;
    private final DevicePageEvents pages;
    private final ObjectMapper mapper;
    private final TriageRules triage;
    private final Clock clock;
    private final int maxStreams;
    private final Duration unwritableTimeout;
    private final ScheduledExecutorService ticker;
    private final Map<Channel, Stream> streams = new ConcurrentHashMap<>();
    /** What each device looked like at the last tick; only the ticking thread touches it. */
    private final Map<String, Long> fingerprints = new HashMap<>();

    private final Counter closedSlow;
    private final Counter refused;
    private final Counter endedSessions;
    private long lastHeartbeatNanos = System.nanoTime();

    /** One client's stream: devices changed since it was last written to. Guarded by itself. */
    private static final class Stream {
        final BooleanSupplier stillAuthorized;
        final Set<String> dirty = new HashSet<>();
        /** The views changed since this stream was last written to. */
        final Set<String> dirtyViews = new HashSet<>();
        /** A device page's stream: what it was sent of its device; null for the site's device stream. */
        final DevicePageEvents.@Nullable Page page;

        boolean snapshotSent;
        long unwritableSinceNanos = -1;

        Stream(BooleanSupplier stillAuthorized, DevicePageEvents.@Nullable Page page) {
            this.stillAuthorized = stillAuthorized;
            this.page = page;
        }
    }

    DeviceEvents(
            StateStore store,
            Clock clock,
            Duration interval,
            int maxStreams,
            Duration unwritableTimeout,
            TriageRules triage,
            ViewEvents views,
            DevicePageEvents pages,
            MeterRegistry registry) {
        this.store = store;
        this.views = views;
        this.pages = pages;
        this.triage = triage;
        this.mapper = Responses.MAPPER;
        this.clock = clock;
        this.maxStreams = maxStreams;
        this.unwritableTimeout = unwritableTimeout;
        this.closedSlow = Counter.builder("headroom.http.streams.closed")
                .tag("reason", "unwritable")
                .description("Device streams closed because the client did not read them")
                .register(registry);
        this.endedSessions = Counter.builder("headroom.http.streams.closed")
                .tag("reason", "signed-out")
                .description("Device streams closed because their session ended (signed out or expired)")
                .register(registry);
        this.refused = Counter.builder("headroom.http.streams.refused")
                .description("Device streams refused because http streams were at their limit")
                .register(registry);
        Gauge.builder("headroom.http.streams", streams, Map::size)
                .description("Open streams (GET /api/v1/stream and GET /api/v1/stream/device/{id})")
                .register(registry);
        Gauge.builder("headroom.http.streams.device", streams, DeviceEvents::devicePages)
                .description("Open device page streams (GET /api/v1/stream/device/{id}), within headroom.http.streams")
                .register(registry);
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "headroom-http-stream");
            thread.setDaemon(true);
            return thread;
        });
        ticker.scheduleWithFixedDelay(
                this::tickSafely, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether another stream may open; counts the refusal when not. */
    boolean admit() {
        if (streams.size() >= maxStreams) {
            refused.increment();
            return false;
        }
        return true;
    }

    private static double devicePages(Map<Channel, Stream> streams) {
        return streams.values().stream().filter(s -> s.page != null).count();
    }

    /**
     * Starts a stream on {@code channel}: writes the response's headers (chunked, no length: the body is the
     * stream) and the browser's reconnect delay; its snapshot goes out at the next tick. Called on any thread.
     *
     * @param deviceId the device of a device page's stream; null for the site's device stream
     */
    void start(Channel channel, BooleanSupplier stillAuthorized, @Nullable String deviceId) {
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, CONTENT_TYPE)
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
                .set("X-Content-Type-Options", "nosniff")
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        HttpUtil.setTransferEncodingChunked(response, true);
        channel.write(response);
        // retry: how long the browser's EventSource waits before it reconnects after the stream ends.
        channel.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer("retry: 3000\n\n", StandardCharsets.UTF_8)));
        streams.put(
                channel, new Stream(stillAuthorized, deviceId == null ? null : new DevicePageEvents.Page(deviceId)));
        channel.closeFuture().addListener(f -> streams.remove(channel));
    }

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again: one bad tick must not end every stream.
            logger.error("device stream tick failed", e);
        }
    }

    /** Finds what changed since the last tick and writes each writable stream its event. */
    private void tick() {
        if (streams.isEmpty()) {
            // Nobody watches: no copy of every device each second (100,000 views at a site's scale). At the next
            // tick with a stream every device reads as changed, which no stream minds: each is new then and gets
            // a snapshot, which clears what it had pending.
            fingerprints.clear();
            return;
        }
        pages.beginTick();
        boolean siteWatched = false;
        for (Stream stream : streams.values()) {
            siteWatched |= stream.page == null;
        }
        if (!siteWatched) {
            // Only device pages watch: each looks its device up by id; no scan of every device, no site views.
            fingerprints.clear();
        }
        List<DeviceView> devices = siteWatched ? store.devices() : List.of();
        DeviceTriage judge = triage.now();
        Map<String, CurtailedDevice> curtailed = judge.curtailments();
        Set<String> changed = new HashSet<>();
        Map<String, DeviceView> byId = new HashMap<>();
        for (DeviceView device : devices) {
            byId.put(device.id(), device);
            long now = fingerprint(device, curtailed.get(device.id()));
            Long before = fingerprints.put(device.id(), now);
            if (before == null || before != now) {
                changed.add(device.id());
            }
        }
        for (String id : fingerprints.keySet()) {
            if (!byId.containsKey(id)) {
                changed.add(id);
            }
        }
        fingerprints.keySet().retainAll(byId.keySet());
        // Built only while someone watches: the site tree is the costliest, and nobody needs it otherwise.
        Set<String> changedViews = siteWatched ? views.refresh() : Set.of();
        long nowNanos = System.nanoTime();
        boolean heartbeat = nowNanos - lastHeartbeatNanos >= HEARTBEAT.toNanos();
        if (heartbeat) {
            lastHeartbeatNanos = nowNanos;
        }
        for (Map.Entry<Channel, Stream> entry : streams.entrySet()) {
            String event = next(
                    entry.getKey(), entry.getValue(), changed, changedViews, devices, byId, judge, heartbeat, nowNanos);
            if (event != null) {
                entry.getKey()
                        .writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer(event, StandardCharsets.UTF_8)));
            }
        }
    }

    /** What to write to one stream now, or null for nothing (not writable, or nothing new). */
    private String next(
            Channel channel,
            Stream stream,
            Set<String> changed,
            Set<String> changedViews,
            List<DeviceView> devices,
            Map<String, DeviceView> byId,
            DeviceTriage judge,
            boolean heartbeat,
            long nowNanos) {
        synchronized (stream) {
            if (!stream.stillAuthorized.getAsBoolean()) {
                // Signed out or expired since the stream began: it ends as the session did.
                endedSessions.increment();
                channel.close();
                return null;
            }
            if (stream.page == null) {
                stream.dirty.addAll(changed);
                stream.dirtyViews.addAll(changedViews);
            }
            if (!channel.isWritable()) {
                if (stream.unwritableSinceNanos < 0) {
                    stream.unwritableSinceNanos = nowNanos;
                } else if (nowNanos - stream.unwritableSinceNanos >= unwritableTimeout.toNanos()) {
                    closedSlow.increment();
                    logger.info(
                            "device stream to {} closed: not read for {}", channel.remoteAddress(), unwritableTimeout);
                    channel.close();
                }
                return null;
            }
            stream.unwritableSinceNanos = -1;
            if (stream.page != null) {
                String parts = pages.next(stream.page);
                return !parts.isEmpty() ? parts : heartbeat ? ": heartbeat\n\n" : null;
            }
            if (!stream.snapshotSent) {
                stream.snapshotSent = true;
                stream.dirty.clear();
                stream.dirtyViews.clear();
                return snapshot(devices, judge) + views.events(views.names());
            }
            if (stream.dirty.isEmpty() && stream.dirtyViews.isEmpty()) {
                return heartbeat ? ": heartbeat\n\n" : null;
            }
            String viewEvents = views.events(stream.dirtyViews);
            stream.dirtyViews.clear();
            List<DeviceView> changedDevices = stream.dirty.stream()
                    .map(byId::get)
                    .filter(Objects::nonNull)
                    .toList();
            List<String> gone =
                    stream.dirty.stream().filter(id -> !byId.containsKey(id)).toList();
            stream.dirty.clear();
            return (changedDevices.isEmpty() ? "" : event("devices", changedDevices, judge))
                    + (gone.isEmpty() ? "" : removed(gone))
                    + viewEvents;
        }
    }

    /**
     * Changes when a device reports a new reading or a new status, or the engine curtails or restores
     * it: every triage flag follows from these (the hot threshold is fixed while the controller runs).
     */
    private static long fingerprint(DeviceView device, @Nullable CurtailedDevice curtailed) {
        long latest = device.statusSince().toEpochMilli();
        for (MetricReading reading : device.metrics().values()) {
            latest = Math.max(latest, reading.at().toEpochMilli());
        }
        return (latest * 31 + device.status().ordinal()) * 31 + Objects.hashCode(curtailed);
    }

    /**
     * The snapshot in parts of {@link #SNAPSHOT_PART} devices: a {@code snapshot} event (the first part,
     * replacing what the page had), then {@code snapshot-part} events, each with {@code part}, {@code parts}
     * and {@code total}. Each event is one task for the browser to parse and take in, so 100,000 devices
     * load as a hundred short tasks rather than one of seconds that freezes the page; all parts go out in
     * one write, before any later event of this stream, so they arrive in order and complete.
     */
    private String snapshot(List<DeviceView> devices, DeviceTriage judge) {
        int parts = Math.max(1, (devices.size() + SNAPSHOT_PART - 1) / SNAPSHOT_PART);
        StringBuilder text = new StringBuilder();
        for (int part = 0; part < parts; part++) {
            List<DeviceView> slice =
                    devices.subList(part * SNAPSHOT_PART, Math.min(devices.size(), (part + 1) * SNAPSHOT_PART));
            ObjectNode body = body(slice, judge);
            body.put("part", part + 1);
            body.put("parts", parts);
            body.put("total", devices.size());
            text.append("event: ")
                    .append(part == 0 ? "snapshot" : "snapshot-part")
                    .append("\ndata: ")
                    .append(body)
                    .append("\n\n");
        }
        return text.toString();
    }

    private ObjectNode body(List<DeviceView> devices, DeviceTriage judge) {
        ArrayNode data = mapper.createArrayNode();
        for (DeviceView device : devices) {
            data.add(JsonViews.device(mapper, device, judge.flags(device)));
        }
        ObjectNode body = mapper.createObjectNode();
        body.put("at", clock.instant().toString());
        body.set("devices", data);
        return body;
    }

    private String event(String name, List<DeviceView> devices, DeviceTriage judge) {
        return "event: " + name + "\ndata: " + body(devices, judge) + "\n\n";
    }

    private String removed(List<String> ids) {
        ArrayNode data = mapper.createArrayNode();
        ids.forEach(data::add);
        ObjectNode body = mapper.createObjectNode();
        body.put("at", clock.instant().toString());
        body.set("ids", data);
        return "event: removed\ndata: " + body + "\n\n";
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        streams.keySet().forEach(Channel::close);
    }
}
