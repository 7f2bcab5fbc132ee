package io.headroom.agent.transport.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A body handler that collects at most {@code maxBytes} bytes. The JDK's {@code ofByteArray()} holds
 * whatever the server sends; this one cancels the subscription (which closes the connection) as soon
 * as the cap is passed and fails the exchange with {@link TooLarge}, so a hostile or broken server
 * cannot make the agent run out of memory.
 */
final class BoundedBody implements HttpResponse.BodyHandler<byte[]> {

    /** The body passed the cap; turned into {@link HttpTransportException#OVERSIZE}. */
    static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        TooLarge(String message) {
            super(message);
        }
    }

    private final int maxBytes;

    BoundedBody(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    public HttpResponse.BodySubscriber<byte[]> apply(HttpResponse.ResponseInfo info) {
        long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
        if (declared > maxBytes) {
            return new Collector(-1, "Content-Length " + declared + " is over the cap of " + maxBytes + " bytes");
        }
        return new Collector(maxBytes);
    }

    /** Collects the body's buffers; fails once more than {@code maxBytes} arrived. */
    private static final class Collector implements HttpResponse.BodySubscriber<byte[]> {
        private final int maxBytes;
        private final String refusal;
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private Flow.Subscription subscription;

        Collector(int maxBytes) {
            this(maxBytes, "");
        }

        Collector(int maxBytes, String refusal) {
            this.maxBytes = maxBytes;
            this.refusal = refusal;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            if (maxBytes < 0) {
                subscription.cancel();
                result.completeExceptionally(new TooLarge(refusal));
                return;
            }
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer buffer : buffers) {
                if (body.size() + buffer.remaining() > maxBytes) {
                    subscription.cancel();
                    result.completeExceptionally(new TooLarge("the body is over the cap of " + maxBytes + " bytes"));
                    return;
                }
                byte[] chunk = new byte[buffer.remaining()];
                buffer.get(chunk);
                body.write(chunk, 0, chunk.length);
            }
        }

        @Override
        public void onError(Throwable error) {
            result.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            result.complete(body.toByteArray());
        }
    }
}
