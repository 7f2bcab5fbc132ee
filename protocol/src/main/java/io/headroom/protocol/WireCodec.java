package io.headroom.protocol;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.headroom.protocol.wire.Ack;
import io.headroom.protocol.wire.Birth;
import io.headroom.protocol.wire.Command;
import io.headroom.protocol.wire.ControllerState;
import io.headroom.protocol.wire.Data;
import io.headroom.protocol.wire.Death;
import io.headroom.protocol.wire.Result;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * Protobuf encoding of the wire messages, with the protocol's rules checked on decode.
 *
 * <p>Thread-safe and stateless. {@code decode} either returns a message that satisfies every rule
 * of {@link PayloadRules} or throws {@link MalformedPayloadException}; it throws nothing else for
 * any input.
 */
public final class WireCodec {

    private static final Map<Class<?>, Parser<?>> PARSERS = Map.of(
            Birth.class, Birth.parser(),
            Data.class, Data.parser(),
            Death.class, Death.parser(),
            Command.class, Command.parser(),
            Result.class, Result.parser(),
            Ack.class, Ack.parser(),
            ControllerState.class, ControllerState.parser());

    private WireCodec() {}

    public static byte[] encode(Message message) {
        return message.toByteArray();
    }

    /** Decodes {@code bytes} as a {@code type} and checks the protocol's rules. */
    public static <T extends Message> T decode(byte[] bytes, Class<T> type) throws MalformedPayloadException {
        return decode(ByteBuffer.wrap(bytes), type);
    }

    /**
     * Decodes the remaining bytes of {@code buffer} as a {@code type} and checks the protocol's
     * rules. The buffer's position is not moved.
     */
    public static <T extends Message> T decode(ByteBuffer buffer, Class<T> type) throws MalformedPayloadException {
        Parser<?> parser = PARSERS.get(type);
        if (parser == null) {
            throw new IllegalArgumentException("not a wire message type: " + type.getName());
        }
        String name = type.getSimpleName();
        if (!buffer.hasRemaining()) {
            // Every valid message has at least one non-default field, so zero bytes is a fault
            // upstream (an empty retained-clear, a truncated frame), not a default message.
            throw new MalformedPayloadException(MalformedPayloadException.Reason.EMPTY, name, "empty payload");
        }
        T message;
        try {
            message = type.cast(parser.parseFrom(buffer.duplicate()));
        } catch (InvalidProtocolBufferException e) {
            throw new MalformedPayloadException(
                    MalformedPayloadException.Reason.UNPARSEABLE, name, String.valueOf(e.getMessage()), e);
        } catch (RuntimeException e) {
            // protobuf-java documents only InvalidProtocolBufferException, but a decoder facing
            // hostile bytes must not let anything else escape to the caller's thread.
            throw new MalformedPayloadException(MalformedPayloadException.Reason.UNPARSEABLE, name, e.toString(), e);
        }
        String problem = PayloadRules.check(message);
        if (problem != null) {
            throw new MalformedPayloadException(MalformedPayloadException.Reason.INVALID, name, problem);
        }
        return message;
    }
}
