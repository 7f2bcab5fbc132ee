package io.headroom.agent.transport.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headroom.agent.rawreply.RawReplyRecorder;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * A small HTTP(S) client for one driver, over the JDK's {@link HttpClient} (no dependency): every
 * request has one hard deadline covering connect, headers and body (a server that trickles bytes
 * cannot stretch it), bodies are read with a size cap, TLS is verified (chain and host name) against
 * the JDK's trust store or a PEM CA file, and every failure is an {@link HttpTransportException} with
 * a reason code. Answers outside 2xx are failures with reason {@code http-<status>}.
 *
 * <p>No authentication, cookies or redirects are handled here: a driver sets its own headers (a
 * Redfish {@code X-Auth-Token}, basic {@code Authorization}) on each request, so that it decides when a
 * session is made and ended. {@link #close()} cancels requests in flight, so a driver closed during a
 * poll of a hung device returns at once. Thread-safe.
 */
public final class HttpTransport implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** How much of a failed answer's body a message quotes. */
    private static final int QUOTED_BODY_CHARS = 300;

    private final HttpTransportSettings settings;
    private final ExecutorService executor;
    private final HttpClient client;
    private final RawReplyRecorder replies;
    private final Set<CompletableFuture<?>> inFlight = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private HttpTransport(
            HttpTransportSettings settings,
            HttpClient.Builder builder,
            ExecutorService executor,
            RawReplyRecorder replies) {
        this.settings = settings;
        this.replies = replies;
        this.executor = executor;
        this.client = builder.executor(executor).build();
    }

    /**
     * A transport with its own small thread pool.
     *
     * @param name thread names, e.g. the device id
     * @param connectTimeout limit for opening a connection (each request's deadline still applies)
     * @param caFileKey the config key of {@code settings.caFile()}, for messages
     * @throws HttpTransportException reason {@code tls} when the CA file cannot be used
     */
    public static HttpTransport open(
            String name, HttpTransportSettings settings, Duration connectTimeout, String caFileKey)
            throws HttpTransportException {
        return open(name, settings, connectTimeout, caFileKey, RawReplyRecorder.NONE);
    }

    /**
     * As the other {@code open}, telling {@code replies} of each exchange: the method and path (with
     * its query) asked, never a header or a request body (they carry the credentials: a login body,
     * an {@code Authorization} header), and the answer's status and body text, redacted there.
     */
    public static HttpTransport open(
            String name,
            HttpTransportSettings settings,
            Duration connectTimeout,
            String caFileKey,
            RawReplyRecorder replies)
            throws HttpTransportException {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(replies, "replies");
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(connectTimeout)
                .sslContext(HttpTls.context(settings.caFile(), caFileKey));
        ExecutorService executor = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "http-" + name);
            thread.setDaemon(true);
            return thread;
        });
        return new HttpTransport(settings, builder, executor, replies);
    }

    /** A JSON body for {@link #send}: the value written by Jackson. */
    public static HttpRequest.BodyPublisher json(Object value) {
        try {
            return HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write as JSON: " + value, e);
        }
    }

    /**
     * Sends one request and waits for the whole answer.
     *
     * @param method {@code GET}, {@code POST}, {@code PATCH}, {@code DELETE} …
     * @param uri absolute {@code http:} or {@code https:} URI
     * @param headers request headers (e.g. {@code X-Auth-Token})
     * @param body the body, or {@link HttpRequest.BodyPublishers#noBody()}
     * @param timeout the deadline of the whole exchange
     * @return the 2xx answer
     * @throws HttpTransportException on any failure, {@code http-<status>} for answers outside 2xx
     */
    public HttpReply send(
            String method, URI uri, Map<String, String> headers, HttpRequest.BodyPublisher body, Duration timeout)
            throws HttpTransportException, InterruptedException {
        String asked = method + " " + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        try {
            HttpReply reply = exchange(method, uri, headers, body, timeout);
            replies.exchange(asked, "HTTP " + reply.status() + "\n" + new String(reply.body(), StandardCharsets.UTF_8));
            return reply;
        } catch (HttpTransportException e) {
            if (e.status() != 0) {
                replies.exchange(asked, "HTTP " + e.status() + "\n" + e.body());
            } else {
                replies.failed(asked, e.getMessage());
            }
            throw e;
        }
    }

    @SuppressWarnings("CollectionUndefinedEquality") // in-flight futures are tracked by identity, as wanted
    private HttpReply exchange(
            String method, URI uri, Map<String, String> headers, HttpRequest.BodyPublisher body, Duration timeout)
            throws HttpTransportException, InterruptedException {
        if (closed) {
            throw new HttpTransportException(HttpTransportException.CLOSED, "transport closed");
        }
        HttpRequest.Builder request =
                HttpRequest.newBuilder(uri).timeout(timeout).method(method, body);
        request.header("Accept", "application/json");
        if (body.contentLength() != 0) {
            request.header("Content-Type", "application/json");
        }
        headers.forEach(request::header);
        CompletableFuture<HttpResponse<byte[]>> future =
                client.sendAsync(request.build(), new BoundedBody(settings.maxBodyBytes()));
        inFlight.add(future);
        HttpResponse<byte[]> response;
        try {
            if (closed) {
                future.cancel(true);
            }
            response = future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new HttpTransportException(
                    HttpTransportException.TIMEOUT,
                    method + " " + uri + ": no complete answer within " + timeout.toMillis() + " ms",
                    e);
        } catch (CancellationException e) {
            throw new HttpTransportException(
                    HttpTransportException.CLOSED, method + " " + uri + ": cancelled, transport closed", e);
        } catch (ExecutionException e) {
            throw failure(method, uri, timeout, e.getCause() == null ? e : e.getCause());
        } catch (InterruptedException e) {
            future.cancel(true);
            throw e;
        } finally {
            inFlight.remove(future);
        }
        int status = response.statusCode();
        if (status < 200 || status > 299) {
            String text = new String(response.body(), StandardCharsets.UTF_8);
            throw HttpTransportException.status(
                    status, method + " " + uri.getPath() + ": HTTP " + status + quote(text), text, response.headers());
        }
        return new HttpReply(uri, status, response.headers(), response.body());
    }

    private static String quote(String text) {
        String flat = text.strip().replaceAll("\\s+", " ");
        if (flat.isEmpty()) {
            return "";
        }
        return ": " + (flat.length() > QUOTED_BODY_CHARS ? flat.substring(0, QUOTED_BODY_CHARS) + "…" : flat);
    }

    /** The reason code of what made an exchange fail. */
    private HttpTransportException failure(String method, URI uri, Duration timeout, Throwable cause) {
        String what = method + " " + uri;
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof BoundedBody.TooLarge) {
                return new HttpTransportException(HttpTransportException.OVERSIZE, what + ": " + t.getMessage(), t);
            }
            if (t instanceof HttpConnectTimeoutException) {
                return new HttpTransportException(HttpTransportException.TIMEOUT, what + ": " + t.getMessage(), t);
            }
            if (t instanceof HttpTimeoutException) {
                // The request's timeout and the wait in exchange() share one deadline and either may
                // fire first: both say the same words.
                return new HttpTransportException(
                        HttpTransportException.TIMEOUT,
                        what + ": no complete answer within " + timeout.toMillis() + " ms",
                        t);
            }
            if (t instanceof SSLException) {
                return new HttpTransportException(
                        HttpTransportException.TLS, what + ": TLS handshake failed: " + t.getMessage(), t);
            }
            if (t instanceof ConnectException) {
                return new HttpTransportException(
                        HttpTransportException.CONNECTION_REFUSED, what + ": connection refused", t);
            }
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return new HttpTransportException(
                        HttpTransportException.UNKNOWN_HOST, what + ": unknown host " + uri.getHost(), t);
            }
            if (t instanceof CancellationException) {
                return new HttpTransportException(HttpTransportException.CLOSED, what + ": cancelled", t);
            }
        }
        if (closed) {
            return new HttpTransportException(HttpTransportException.CLOSED, what + ": transport closed", cause);
        }
        String detail = cause instanceof IOException ? String.valueOf(cause.getMessage()) : cause.toString();
        return new HttpTransportException(HttpTransportException.IO_ERROR, what + ": " + detail, cause);
    }

    /**
     * Cancels every request in flight (each fails with {@code closed}) but keeps the transport usable:
     * a driver being closed ends a hung poll this way and can still send its goodbye (a session
     * DELETE) before {@link #close()}.
     */
    public void abort() {
        for (CompletableFuture<?> future : inFlight) {
            future.cancel(true);
        }
    }

    /** Cancels every request in flight and stops the transport's threads. Idempotent. */
    @Override
    public void close() {
        closed = true;
        abort();
        executor.shutdownNow();
    }
}
