package io.headroom.agent.transport.serial;

/**
 * When a reply on a serial bus is complete. Serial protocols rarely delimit frames: a Modbus RTU client
 * knows the length of a normal reply from its request, a shorter one for an exception reply, and the
 * standard's fallback is a silence of the inter-frame gap. So a completion is a predicate over the
 * bytes received so far, optionally also ended by a silence:
 *
 * <pre>{@code
 * FrameCompletion reply = (bytes, length) -> length >= 2 && (bytes[1] & 0x80) != 0 ? length >= 5 : length >= expected;
 * bus.transact(request, reply.orSilence(), timeout);
 * }</pre>
 *
 * <p>{@link SerialBus} asks {@link #isComplete} once for every length the reply reaches (1, 2, 3, …)
 * and stops at the first complete one; bytes after it are discarded and counted.
 */
@FunctionalInterface
public interface FrameCompletion {

    /**
     * Whether the first {@code length} bytes of {@code received} are a complete reply.
     *
     * @param received the reply so far, from index 0; must not be modified or kept
     * @param length how many bytes of {@code received} have arrived, at least 1
     */
    boolean isComplete(byte[] received, int length);

    /** Whether a silence of the bus's inter-frame gap after at least one byte also ends the reply. */
    default boolean endsOnSilence() {
        return false;
    }

    /** This completion, also ended by a silence of the inter-frame gap. */
    default FrameCompletion orSilence() {
        FrameCompletion predicate = this;
        return new FrameCompletion() {
            @Override
            public boolean isComplete(byte[] received, int length) {
                return predicate.isComplete(received, length);
            }

            @Override
            public boolean endsOnSilence() {
                return true;
            }
        };
    }

    /** Complete at exactly {@code length} bytes. */
    static FrameCompletion length(int length) {
        if (length < 1 || length > SerialBus.MAX_REPLY_BYTES) {
            throw new IllegalArgumentException(
                    "length: must be between 1 and " + SerialBus.MAX_REPLY_BYTES + ", got " + length);
        }
        return (received, n) -> n >= length;
    }

    /** Complete at {@code length} bytes, or earlier at a silence of the gap (an exception reply). */
    static FrameCompletion lengthOrSilence(int length) {
        return length(length).orSilence();
    }

    /** Complete only at a silence of the gap after at least one byte. */
    static FrameCompletion silence() {
        return ((FrameCompletion) (received, n) -> false).orSilence();
    }
}
