package io.headroom.controller.market;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Prices from an HTTP JSON endpoint, one GET per {@link #poll(Instant)} (the caller schedules it at
 * the configured interval). The value and optionally the time are read through JSON pointers. A
 * reply that is not 200, not JSON, lacks the value, is larger than the cap or slower than the
 * timeout (body included) is a counted failure: the last good point stays, and turns stale on its
 * own when no good reply follows. Thread-safe; polls are serialised.
 */
public final class HttpPriceSource implements PriceSource {
    /** Points kept for {@link #series}: a month of 5-minute polls. */
    static final int KEEP_POINTS = 12 * 24 * 31;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final MarketConfig.HttpSource config;
    private final HttpClient client;
    private final JsonPointer valuePointer;
    private final @Nullable JsonPointer timePointer;
    private final AtomicLong polls = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile PriceSeries received = PriceSeries.empty();
    private volatile @Nullable String lastFailure;

    public HttpPriceSource(MarketConfig.HttpSource config) {
        this.config = Objects.requireNonNull(config, "config");
        this.client = HttpClient.newBuilder()
                .connectTimeout(config.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.valuePointer = JsonPointer.compile(config.valuePointer());
        this.timePointer = config.timePointer().map(JsonPointer::compile).orElse(null);
    }

    /**
     * One GET. Never throws for what the server does.
     *
     * @param now the controller's clock: the point's time when there is no time pointer
     * @return the point read, or empty when this poll failed (see {@link #lastFailure()})
     */
    public synchronized Optional<PricePoint> poll(Instant now) throws InterruptedException {
        polls.incrementAndGet();
        try {
            PricePoint point = parse(fetch(), now);
            received = received.append(point, KEEP_POINTS);
            return Optional.of(point);
        } catch (PriceDataException e) {
            failures.incrementAndGet();
            lastFailure = e.getMessage();
            return Optional.empty();
        }
    }

    private byte[] fetch() throws PriceDataException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(config.url())
                .timeout(config.timeout())
                .header("Accept", "application/json")
                .GET()
                .build();
        int cap = Math.toIntExact(config.maxBody().bytes());
        CompletableFuture<HttpResponse<byte[]>> reply = client.sendAsync(request, info -> new CappedBody(cap));
        HttpResponse<byte[]> response;
        try {
            // The request timeout covers only the headers; this bounds the body as well.
            response = reply.get(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            reply.cancel(true);
            throw new PriceDataException(config.url() + ": no complete reply within " + config.timeout());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof java.net.http.HttpTimeoutException) {
                // The client's own timeout (headers) and the bound above (body) are the same limit and
                // race each other: one cause, one message, whichever fires first.
                throw new PriceDataException(config.url() + ": no complete reply within " + config.timeout(), cause);
            }
            throw new PriceDataException(config.url() + ": " + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            reply.cancel(true);
            throw e;
        }
        if (response.statusCode() != 200) {
            throw new PriceDataException(config.url() + ": HTTP " + response.statusCode());
        }
        return response.body();
    }

    private PricePoint parse(byte[] body, Instant now) throws PriceDataException {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new PriceDataException(config.url() + ": reply is not JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new PriceDataException(config.url() + ": reply is not JSON: " + e.getMessage());
        }
        if (root == null || root.isMissingNode()) {
            throw new PriceDataException(config.url() + ": empty reply");
        }
        JsonNode value = root.at(valuePointer);
        if (!value.isNumber() || !Double.isFinite(value.asDouble())) {
            throw new PriceDataException(config.url() + ": " + config.valuePointer() + " is "
                    + (value.isMissingNode()
                            ? "missing"
                            : "not a finite number: " + PriceTimes.clip(value.toString())));
        }
        Instant at = now;
        if (timePointer != null) {
            JsonNode time = root.at(timePointer);
            if (!(time.isTextual() || time.isNumber())) {
                throw new PriceDataException(config.url() + ": "
                        + config.timePointer().orElse("") + " is missing" + " or not a string or number");
            }
            try {
                at = PriceTimes.parse(time.asText());
            } catch (IllegalArgumentException e) {
                throw new PriceDataException(config.url() + ": " + e.getMessage());
            }
        }
        return new PricePoint(at, value.asDouble());
    }

    @Override
    public Optional<PricePoint> latest(Instant now) {
        return received.at(now);
    }

    @Override
    public PriceSeries series(java.time.Instant from, java.time.Instant to) {
        return received.between(from, to);
    }

    @Override
    public String describe() {
        return "http " + config.url();
    }

    /** Polls made. */
    public long polls() {
        return polls.get();
    }

    @Override
    public long failures() {
        return failures.get();
    }

    @Override
    public Optional<String> lastFailure() {
        return Optional.ofNullable(lastFailure);
    }

    public MarketConfig.HttpSource config() {
        return config;
    }

    /** Collects a body up to {@code cap} bytes; past it, cancels the exchange and fails. */
    private static final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final int cap;
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        private Flow.@Nullable Subscription subscription;

        CappedBody(int cap) {
            this.cap = cap;
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
                if (bytes.size() + item.remaining() > cap) {
                    Flow.Subscription s = subscription;
                    if (s != null) {
                        s.cancel();
                    }
                    result.completeExceptionally(
                            new java.io.IOException("reply larger than max-body " + cap + " bytes"));
                    return;
                }
                byte[] chunk = new byte[item.remaining()];
                item.get(chunk);
                bytes.write(chunk, 0, chunk.length);
            }
        }

        @Override
        public void onError(Throwable error) {
            result.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            result.complete(bytes.toByteArray());
        }
    }
}
