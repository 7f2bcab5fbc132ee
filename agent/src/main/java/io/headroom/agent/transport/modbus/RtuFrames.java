package io.headroom.agent.transport.modbus;

import io.headroom.agent.transport.modbus.ModbusException.Kind;
import io.headroom.agent.transport.serial.FrameCompletion;
import java.util.Arrays;

/**
 * Modbus RTU framing: unit id, PDU, CRC-16 low byte first. A reply is complete at the length its
 * request implies, at five bytes for an exception reply, or at a silence of the inter-frame gap (so
 * that a short or garbled reply ends and is rejected by its CRC instead of waiting out the timeout).
 */
public final class RtuFrames {

    private RtuFrames() {}

    /** The frame of {@code pdu} to {@code unit}. */
    public static byte[] frame(int unit, byte[] pdu) {
        requireUnit(unit);
        byte[] frame = new byte[pdu.length + 3];
        frame[0] = (byte) unit;
        System.arraycopy(pdu, 0, frame, 1, pdu.length);
        int crc = Crc16.of(frame, 0, pdu.length + 1);
        frame[pdu.length + 1] = (byte) crc;
        frame[pdu.length + 2] = (byte) (crc >>> 8);
        return frame;
    }

    /** The length of the normal reply frame to a request PDU. */
    public static int replyLength(byte[] requestPdu) {
        return ModbusPdu.responseLength(requestPdu) + 3;
    }

    /** When the reply to {@code requestPdu} is complete; see the class comment. */
    public static FrameCompletion completion(byte[] requestPdu) {
        int expected = replyLength(requestPdu);
        FrameCompletion byLength =
                (bytes, length) -> length >= 2 && (bytes[1] & 0x80) != 0 ? length >= 5 : length >= expected;
        return byLength.orSilence();
    }

    /**
     * The response PDU of a reply frame, checked: CRC first (a corrupted frame says nothing reliable),
     * then the unit id, then the PDU against the request.
     */
    public static byte[] unframe(int unit, byte[] requestPdu, byte[] frame, int length) throws ModbusException {
        if (length < 4) {
            throw new ModbusException(Kind.BAD_RESPONSE, "reply of " + length + " bytes is too short for a frame");
        }
        if (!Crc16.check(frame, length)) {
            throw new ModbusException(Kind.CRC, "CRC mismatch in a reply of " + length + " bytes");
        }
        if ((frame[0] & 0xFF) != unit) {
            throw new ModbusException(Kind.BAD_RESPONSE, "reply is from unit " + (frame[0] & 0xFF) + ", not " + unit);
        }
        byte[] pdu = Arrays.copyOfRange(frame, 1, length - 2);
        ModbusPdu.check(requestPdu, pdu);
        return pdu;
    }

    static void requireUnit(int unit) {
        if (unit < 0 || unit > 255) {
            throw new IllegalArgumentException("unit: " + unit + " must be 0 to 255");
        }
    }
}
