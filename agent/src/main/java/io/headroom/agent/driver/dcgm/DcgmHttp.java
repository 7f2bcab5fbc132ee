package io.headroom.agent.driver.dcgm;

import io.headroom.agent.rawreply.RawReplyRecorder;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The HTTP side of the dcgm driver, all in this one class so that it can move onto the agent's
 * shared HTTP transport later: one JDK {@link HttpClient} per agent (a {@code DriverContext} shared
 * transport), HTTP/1.1, a GET whose whole exchange (connect, headers and body) must finish within
 * the device's timeout, and a body of at most {@link #MAX_BODY_BYTES} decoded as strict UTF-8.
 */
final class DcgmHttp implements Closeable {

    /** The key of the agent's one instance. */
    static final String SHARED_KEY = "http:dcgm";

    /**
     * Largest body accepted. dcgm-exporter's default counters for 8 GPUs are about 60 KiB; with
     * every DCP and NVLink field and MIG instances a few hundred KiB.
     */
    static final int MAX_BODY_BYTES = 4 << 20;

    private static final String ACCEPT = "text/plain; version=0.0.4";

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(30))
            .build();

    /**
     * Fetches the body of a 200 reply as text.
     *
     * @param inFlight told the exchange in progress, so that a driver's close can cancel it
     */
    String get(URI uri, Duration timeout, Consumer<CompletableFuture<?>> inFlight)
            throws DcgmException, InterruptedException {
        return get(uri, timeout, inFlight, RawReplyRecorder.NONE);
    }

    /** As the other {@code get}, telling {@code replies} the GET and the exposition's text (or why none came). */
    String get(URI uri, Duration timeout, Consumer<CompletableFuture<?>> inFlight, RawReplyRecorder replies)
            throws DcgmException, InterruptedException {
        String asked = "GET " + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        try {
            String text = fetch(uri, timeout, inFlight);
            replies.exchange(asked, text);
            return text;
        } catch (DcgmException e) {
            replies.failed(asked, e.getMessage());
            throw e;
        }
    }

    private String fetch(URI uri, Duration timeout, Consumer<CompletableFuture<?>> inFlight)
            throws DcgmException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Accept", ACCEPT)
                .GET()
                .build();
        CompletableFuture<HttpResponse<byte[]>> exchange =
                client.sendAsync(request, info -> new CappedBody(MAX_BODY_BYTES));
        inFlight.accept(exchange);
        HttpResponse<byte[]> response;
        try {
            response = exchange.get(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            throw new DcgmException(
                    DcgmException.TIMEOUT,
                    true,
                    "no complete reply from " + uri + " within " + timeout.toMillis() + " ms",
                    e);
        } catch (CancellationException e) {
            throw new DcgmException(DcgmException.CLOSED, true, "driver closed", e);
        } catch (ExecutionException e) {
            throw failure(uri, timeout, e.getCause() == null ? e : e.getCause());
        } catch (InterruptedException e) {
            exchange.cancel(true);
            throw e;
        }
        byte[] body = response.body();
        String text = decode(uri, body);
        if (response.statusCode() != 200) {
            String first = text.lines().findFirst().orElse("").strip();
            throw new DcgmException(
                    DcgmException.HTTP_STATUS,
                    false,
                    "HTTP " + response.statusCode() + " from " + uri
                            + (first.isEmpty() ? "" : ": " + (first.length() > 200 ? first.substring(0, 200) : first)));
        }
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (!type.isEmpty() && !type.toLowerCase(Locale.ROOT).startsWith("text/plain")) {
            throw new DcgmException(
                    DcgmException.BAD_RESPONSE,
                    false,
                    uri + " answered Content-Type '" + type + "', not the Prometheus text format (text/plain)");
        }
        return text;
    }

    private static String decode(URI uri, byte[] body) throws DcgmException {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new DcgmException(DcgmException.BAD_RESPONSE, false, uri + " answered a body that is not UTF-8", e);
        }
    }

    private static DcgmException failure(URI uri, Duration timeout, Throwable cause) {
        if (cause instanceof BodyTooLarge) {
            return new DcgmException(
                    DcgmException.OVERSIZE, false, uri + " answered more than " + MAX_BODY_BYTES + " bytes", cause);
        }
        if (cause instanceof HttpConnectTimeoutException) {
            return new DcgmException(
                    DcgmException.TIMEOUT, true, "no connection to " + uri + ": " + cause.getMessage(), cause);
        }
        if (cause instanceof HttpTimeoutException) {
            // The request's own timeout and the wait above share one deadline, and either may fire
            // first: both say the same words.
            return new DcgmException(
                    DcgmException.TIMEOUT,
                    true,
                    "no complete reply from " + uri + " within " + timeout.toMillis() + " ms",
                    cause);
        }
        if (cause instanceof ConnectException) {
            boolean unresolved = cause.getCause() instanceof java.nio.channels.UnresolvedAddressException;
            return unresolved
                    ? new DcgmException(DcgmException.UNKNOWN_HOST, true, "unknown host " + uri.getHost(), cause)
                    : new DcgmException(
                            DcgmException.CONNECTION_REFUSED, true, "cannot connect to " + uri + ": " + cause, cause);
        }
        if (cause instanceof CancellationException) {
            return new DcgmException(DcgmException.CLOSED, true, "driver closed", cause);
        }
        if (cause instanceof IOException) {
            return new DcgmException(DcgmException.IO_ERROR, true, uri + ": " + cause, cause);
        }
        return new DcgmException(DcgmException.BAD_RESPONSE, false, uri + ": " + cause, cause);
    }

    /** The JDK client has no close in Java 17; its threads end when it is unreachable. */
    @Override
    public void close() {}

    /** A body past the cap. */
    static final class BodyTooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        BodyTooLarge(int max) {
            super("body exceeds " + max + " bytes");
        }
    }

    /** Collects a body of at most {@code max} bytes; cancels the exchange past that. */
    private static final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        private final int max;
        private Flow.Subscription subscription;

        CappedBody(int max) {
            this.max = max;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer item : items) {
                if (out.size() + (long) item.remaining() > max) {
                    subscription.cancel();
                    result.completeExceptionally(new BodyTooLarge(max));
                    return;
                }
                byte[] chunk = new byte[item.remaining()];
                item.get(chunk);
                out.write(chunk, 0, chunk.length);
            }
        }

        @Override
        public void onError(Throwable throwable) {
            result.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            result.complete(out.toByteArray());
        }
    }
}
