package io.headroom.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * What a technician's page asks of a controller under load, timed from request to the last byte of the
 * answer: every period, the next of a few requests in turn — a filtered page of the device listing (by
 * status, by agent, by triage flag), one device, one device's history. Each must answer 200; anything else is
 * counted as an error, and the first is kept to be printed. One thread; requests never overlap, as a page's
 * refreshes do not. It can start before the measured window (a page stays open), and counts from {@link #measure}.
 */
final class ApiProbe implements AutoCloseable {

    private final ControllerUnderTest controller;
    private final List<String> paths;
    private final long periodNanos;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final Thread thread = new Thread(this::run, "api-probe");
    private volatile boolean running = true;
    private volatile boolean measuring;

    /** Request → last byte of the answer, every request made while measuring. Read after {@link #close}. */
    final LatencyHistogram latency = new LatencyHistogram();
    /** The same, per path, in the order of {@link #paths()}. */
    final List<LatencyHistogram> byPath;

    long requests;
    long errors;
    long bytes;
    String firstError;

    /**
     * @param agent an agent of the load, for the by-agent page
     * @param device a device of the load, for the one-device and history requests
     */
    ApiProbe(ControllerUnderTest controller, String agent, String device, Duration period) {
        this.controller = controller;
        this.paths = List.of(
                "/api/v1/devices?status=ONLINE&limit=100",
                "/api/v1/devices?agent=" + agent + "&limit=500",
                "/api/v1/devices?flag=hot&limit=100",
                "/api/v1/devices/" + device,
                "/api/v1/devices/" + device + "/history?metric=power&range=1h");
        this.byPath = paths.stream().map(p -> new LatencyHistogram()).toList();
        this.periodNanos = period.toNanos();
        thread.setDaemon(true);
    }

    /** Starts asking; nothing counts until {@link #measure}. */
    void start() {
        thread.start();
    }

    /** From the next request on, requests are timed and counted. */
    void measure() {
        measuring = true;
    }

    List<String> paths() {
        return paths;
    }

    private void run() {
        long next = System.nanoTime();
        for (int i = 0; running; i++) {
            int path = i % paths.size();
            URI uri = controller.http(paths.get(path));
            boolean counted = measuring;
            long start = System.nanoTime();
            try {
                HttpResponse<byte[]> response = http.send(
                        HttpRequest.newBuilder(uri)
                                .header("Authorization", controller.viewerAuthorization())
                                .timeout(Duration.ofSeconds(30))
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                if (counted) {
                    long took = System.nanoTime() - start;
                    latency.record(took);
                    byPath.get(path).record(took);
                    requests++;
                    bytes += response.body().length;
                }
                if (response.statusCode() != 200) {
                    error(uri + ": " + response.statusCode());
                }
            } catch (IOException e) {
                requests += counted ? 1 : 0;
                error(uri + ": " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            // Paced, not a wait for a condition: the next request is due one period after the last was.
            next += periodNanos;
            LockSupport.parkNanos(next - System.nanoTime());
        }
    }

    private void error(String what) {
        errors++;
        if (firstError == null) {
            firstError = what;
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        LockSupport.unpark(thread);
        thread.join(TimeUnit.SECONDS.toMillis(40));
    }
}
