package io.headroom.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A site page's device stream ({@code GET /api/v1/stream}) held open and read as fast as it comes, as a
 * browser tab would: counts the bytes and the {@code event:} lines it is sent, from {@link #measure} on.
 * One thread per stream.
 */
final class StreamWatcher implements AutoCloseable {

    private static final byte[] EVENT = "event: ".getBytes(StandardCharsets.US_ASCII);

    private final ControllerUnderTest controller;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final Thread thread = new Thread(this::run, "stream-watcher");
    private volatile boolean running = true;
    private volatile boolean measuring;
    private volatile InputStream body;

    volatile long bytes;
    volatile long events;
    volatile String failure;

    StreamWatcher(ControllerUnderTest controller) {
        this.controller = controller;
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    void measure() {
        measuring = true;
    }

    private void run() {
        try {
            HttpResponse<InputStream> response = http.send(
                    HttpRequest.newBuilder(controller.http("/api/v1/stream"))
                            .header("Authorization", controller.viewerAuthorization())
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                failure = "GET /api/v1/stream: " + response.statusCode();
                return;
            }
            body = response.body();
            byte[] buffer = new byte[1 << 16];
            int matched = 0; // how much of "event: " the bytes so far end with, at a line's start
            boolean lineStart = true;
            while (running) {
                int n = body.read(buffer);
                if (n < 0) {
                    failure = running ? "the controller ended the stream" : null;
                    return;
                }
                long found = 0;
                for (int i = 0; i < n; i++) {
                    byte b = buffer[i];
                    if (lineStart || matched > 0) {
                        matched = b == EVENT[matched] ? matched + 1 : 0;
                        if (matched == EVENT.length) {
                            found++;
                            matched = 0;
                        }
                    }
                    lineStart = b == '\n';
                }
                if (measuring) {
                    bytes += n;
                    events += found;
                }
            }
        } catch (IOException e) {
            if (running) {
                failure = "GET /api/v1/stream: " + e;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        InputStream open = body;
        if (open != null) {
            try {
                open.close();
            } catch (IOException e) {
                // closing a stream we stop reading: nothing to do about it
            }
        }
        thread.interrupt();
        thread.join(TimeUnit.SECONDS.toMillis(10));
    }
}
