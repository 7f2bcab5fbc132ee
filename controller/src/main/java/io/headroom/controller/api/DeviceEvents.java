package io.headroom.controller.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.controller.engine.CurtailedDevice;
import io.headroom.controller.store.DeviceRecord;
import io.headroom.controller.store.DeviceView;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
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
    /**
     * Devices in one {@code devices} event at most: the rest stay pending, oldest change first, for the next
     * ticks. A site of 100,000 devices reporting every second changes all of them every tick, some 60 MB of JSON
     * a second per open page, which neither the controller (one site page took 1.5 cores and put its ingest p99
     * at 350 ms) nor a browser can keep up with; capped, a page gets a few MB a second and every device's row
     * is at most 100,000 / 5,000 = 20 ticks old (D65).
     */
    static final int MAX_DEVICES_PER_EVENT = 5_000;

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
    /**
     * What each device looked like at the last tick it was seen in: its fingerprint and that tick's number. Only
     * the ticking thread touches it.
     */
    private final Map<String, long[]> fingerprints = new HashMap<>();

    private long tickNumber;

    private final Counter closedSlow;
    private final Counter refused;
    private final Counter endedSessions;
    private long lastHeartbeatNanos = System.nanoTime();

    /** One client's stream: devices changed since it was last written to. Guarded by itself. */
    private static final class Stream {
        final BooleanSupplier stillAuthorized;
        /** In the order they first changed since last sent: an event takes the oldest first. */
        final Set<String> dirty = new LinkedHashSet<>();
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

    /**
     * Finds what changed since the last tick and writes each writable stream its event. Reads the live records,
     * not a view of every device: views are made only for what goes out, one event's worth at a time (D64,
     * D65).
     */
    private void tick() {
        if (streams.isEmpty()) {
            // Nobody watches: no pass over every device each second. At the next tick with a stream every device
            // reads as changed, which no stream minds: each is new then and gets a snapshot, which clears what it
            // had pending.
            fingerprints.clear();
            return;
        }
        pages.beginTick();
        boolean siteWatched = false;
        for (Stream stream : streams.values()) {
            siteWatched |= stream.page == null;
        }
        DeviceTriage judge = triage.now();
        List<String> changed = new ArrayList<>();
        if (siteWatched) {
            long tick = ++tickNumber;
            Map<String, CurtailedDevice> curtailed = judge.curtailments();
            for (DeviceRecord record : store.records()) {
                long now = record.changeStamp() * 31 + Objects.hashCode(curtailed.get(record.id()));
                long[] before = fingerprints.get(record.id());
                if (before == null) {
                    fingerprints.put(record.id(), new long[] {now, tick});
                    changed.add(record.id());
                } else {
                    if (before[0] != now) {
                        before[0] = now;
                        changed.add(record.id());
                    }
                    before[1] = tick;
                }
            }
            for (Iterator<Map.Entry<String, long[]>> i = fingerprints.entrySet().iterator(); i.hasNext(); ) {
                Map.Entry<String, long[]> entry = i.next();
                if (entry.getValue()[1] != tick) {
                    changed.add(entry.getKey()); // gone: its stream is told so
                    i.remove();
                }
            }
        } else {
            // Only device pages watch: each looks its device up by id; no scan of every device, no site views.
            fingerprints.clear();
        }
        // Built only while someone watches: the site tree is the costliest, and nobody needs it otherwise.
        Set<String> changedViews = siteWatched ? views.refresh() : Set.of();
        long nowNanos = System.nanoTime();
        boolean heartbeat = nowNanos - lastHeartbeatNanos >= HEARTBEAT.toNanos();
        if (heartbeat) {
            lastHeartbeatNanos = nowNanos;
        }
        // A device's JSON, made once this tick for every stream that sends it.
        Map<String, JsonNode> shown = new HashMap<>();
        for (Map.Entry<Channel, Stream> entry : streams.entrySet()) {
            String event =
                    next(entry.getKey(), entry.getValue(), changed, changedViews, shown, judge, heartbeat, nowNanos);
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
            List<String> changed,
            Set<String> changedViews,
            Map<String, JsonNode> shown,
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
                return snapshot(judge) + views.events(views.names());
            }
            if (stream.dirty.isEmpty() && stream.dirtyViews.isEmpty()) {
                return heartbeat ? ": heartbeat\n\n" : null;
            }
            String viewEvents = views.events(stream.dirtyViews);
            stream.dirtyViews.clear();
            ArrayNode changedDevices = mapper.createArrayNode();
            List<String> gone = new ArrayList<>();
            for (Iterator<String> i = stream.dirty.iterator();
                    i.hasNext() && changedDevices.size() < MAX_DEVICES_PER_EVENT; ) {
                String id = i.next();
                i.remove();
                JsonNode json = shown.computeIfAbsent(id, key -> {
                    DeviceRecord record = store.record(key);
                    if (record == null) {
                        return NullNode.getInstance();
                    }
                    DeviceView device = record.view();
                    return JsonViews.device(mapper, device, judge.flags(device));
                });
                if (json.isNull()) {
                    gone.add(id);
                } else {
                    changedDevices.add(json);
                }
            }
            return (changedDevices.isEmpty() ? "" : event("devices", changedDevices))
                    + (gone.isEmpty() ? "" : removed(gone))
                    + viewEvents;
        }
    }

    /**
     * The snapshot in parts of {@link #SNAPSHOT_PART} devices: a {@code snapshot} event (the first part,
     * replacing what the page had), then {@code snapshot-part} events, each with {@code part}, {@code parts}
     * and {@code total}. Each event is one task for the browser to parse and take in, so 100,000 devices
     * load as a hundred short tasks rather than one of seconds that freezes the page; all parts go out in
     * one write, before any later event of this stream, so they arrive in order and complete.
     */
    private String snapshot(DeviceTriage judge) {
        List<DeviceRecord> records = new ArrayList<>(store.records());
        int parts = Math.max(1, (records.size() + SNAPSHOT_PART - 1) / SNAPSHOT_PART);
        StringBuilder text = new StringBuilder();
        for (int part = 0; part < parts; part++) {
            ArrayNode data = mapper.createArrayNode();
            for (DeviceRecord record :
                    records.subList(part * SNAPSHOT_PART, Math.min(records.size(), (part + 1) * SNAPSHOT_PART))) {
                DeviceView device = record.view();
                data.add(JsonViews.device(mapper, device, judge.flags(device)));
            }
            ObjectNode body = body(data);
            body.put("part", part + 1);
            body.put("parts", parts);
            body.put("total", records.size());
            text.append("event: ")
                    .append(part == 0 ? "snapshot" : "snapshot-part")
                    .append("\ndata: ")
                    .append(body)
                    .append("\n\n");
        }
        return text.toString();
    }

    private ObjectNode body(ArrayNode devices) {
        ObjectNode body = mapper.createObjectNode();
        body.put("at", clock.instant().toString());
        body.set("devices", devices);
        return body;
    }

    private String event(String name, ArrayNode devices) {
        return "event: " + name + "\ndata: " + body(devices) + "\n\n";
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
