package io.headroom.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The few MQTT 5 packets the load generator sends, written straight into a connection's output
 * buffer (no object per packet, so the generator's own cost per message stays small next to the
 * server's), and the framing of what comes back. Only what a bench client needs: CONNECT with
 * username and password, SUBSCRIBE to one filter, PUBLISH at QoS 0 or 1 without properties, PUBACK,
 * PINGREQ, DISCONNECT. Received packets are split by {@link #packetLength}.
 */
final class MqttFrames {
    static final int CONNACK = 2;
    static final int PUBLISH = 3;
    static final int PUBACK = 4;
    static final int SUBACK = 9;
    static final int PINGRESP = 13;
    static final int DISCONNECT = 14;

    /** MQTT 5 property: Receive Maximum (two bytes). */
    private static final int RECEIVE_MAXIMUM = 0x21;

    private MqttFrames() {}

    static void connect(ByteBuffer out, String clientId, String username, String password, int keepAliveSeconds) {
        byte[] id = utf8(clientId);
        byte[] user = username == null ? null : utf8(username);
        byte[] pass = password == null ? null : utf8(password);
        int remaining =
                10 + 1 + 2 + id.length + (user == null ? 0 : 2 + user.length) + (pass == null ? 0 : 2 + pass.length);
        out.put((byte) 0x10);
        remainingLength(out, remaining);
        string(out, utf8("MQTT"));
        out.put((byte) 5);
        int flags = 0x02 | (user == null ? 0 : 0x80) | (pass == null ? 0 : 0x40); // clean start
        out.put((byte) flags);
        out.putShort((short) keepAliveSeconds);
        out.put((byte) 0); // no properties
        string(out, id);
        if (user != null) {
            string(out, user);
        }
        if (pass != null) {
            string(out, pass);
        }
    }

    static void subscribe(ByteBuffer out, int packetId, String filter, int qos) {
        byte[] topic = utf8(filter);
        out.put((byte) 0x82);
        remainingLength(out, 2 + 1 + 2 + topic.length + 1);
        out.putShort((short) packetId);
        out.put((byte) 0);
        string(out, topic);
        out.put((byte) qos);
    }

    /** A PUBLISH of {@code length} bytes of {@code payload}; {@code topic} already UTF-8. */
    static void publish(ByteBuffer out, byte[] topic, int qos, int packetId, byte[] payload, int length) {
        out.put((byte) (0x30 | (qos << 1)));
        remainingLength(out, 2 + topic.length + (qos > 0 ? 2 : 0) + 1 + length);
        string(out, topic);
        if (qos > 0) {
            out.putShort((short) packetId);
        }
        out.put((byte) 0); // no properties
        out.put(payload, 0, length);
    }

    /** Bytes {@link #publish} needs at most for this topic and payload length. */
    static int publishSize(byte[] topic, int length) {
        return 1 + 4 + 2 + topic.length + 2 + 1 + length;
    }

    static void pubAck(ByteBuffer out, int packetId) {
        out.put((byte) 0x40).put((byte) 2).putShort((short) packetId); // reason 0 may be left out
    }

    static void pingReq(ByteBuffer out) {
        out.put((byte) 0xC0).put((byte) 0);
    }

    static void disconnect(ByteBuffer out) {
        out.put((byte) 0xE0).put((byte) 0);
    }

    /**
     * The whole length of the packet at {@code in}'s position (fixed header included), or -1 if
     * {@code in} does not yet hold all of its fixed header.
     */
    static int packetLength(ByteBuffer in) {
        int at = in.position() + 1;
        int value = 0;
        for (int shift = 0; shift < 28; shift += 7) {
            if (at >= in.limit()) {
                return -1;
            }
            int b = in.get(at++) & 0xFF;
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return at - in.position() + value;
            }
        }
        throw new IllegalStateException("malformed remaining length from the server");
    }

    /** Where the variable header of the packet at {@code start} begins. */
    static int bodyStart(ByteBuffer in, int start) {
        int at = start + 1;
        while ((in.get(at++) & 0x80) != 0) {
            // continuation bytes of the remaining length
        }
        return at;
    }

    /**
     * The Receive Maximum of the CONNACK whose variable header begins at {@code at}, or 65,535
     * when it carries none (MQTT 5 §3.2.2.3.3).
     */
    static int receiveMaximum(ByteBuffer in, int at, int end) {
        int i = at + 2; // acknowledge flags, reason code
        if (i >= end) {
            return 65_535;
        }
        int length = 0;
        int shift = 0;
        int b;
        do {
            b = in.get(i++) & 0xFF;
            length |= (b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        int stop = i + length;
        while (i < stop) {
            int id = in.get(i++) & 0xFF;
            switch (id) {
                case RECEIVE_MAXIMUM:
                    return in.getShort(i) & 0xFFFF;
                case 0x13, 0x22: // server keep alive, topic alias maximum: two bytes
                    i += 2;
                    break;
                case 0x11, 0x27: // session expiry, maximum packet size: four bytes
                    i += 4;
                    break;
                case 0x24, 0x25, 0x28, 0x29, 0x2A: // one byte
                    i += 1;
                    break;
                case 0x12, 0x1A, 0x1C, 0x1F, 0x15: // a string
                    i += 2 + (in.getShort(i) & 0xFFFF);
                    break;
                case 0x26: // user property: two strings
                    i += 2 + (in.getShort(i) & 0xFFFF);
                    i += 2 + (in.getShort(i) & 0xFFFF);
                    break;
                case 0x16: // authentication data: binary
                    i += 2 + (in.getShort(i) & 0xFFFF);
                    break;
                default:
                    throw new IllegalStateException("unknown CONNACK property 0x" + Integer.toHexString(id));
            }
        }
        return 65_535;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void string(ByteBuffer out, byte[] bytes) {
        out.putShort((short) bytes.length).put(bytes);
    }

    private static void remainingLength(ByteBuffer out, int length) {
        int v = length;
        do {
            int b = v & 0x7F;
            v >>>= 7;
            out.put((byte) (v > 0 ? b | 0x80 : b));
        } while (v > 0);
    }
}
