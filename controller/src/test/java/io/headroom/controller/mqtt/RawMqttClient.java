package io.headroom.controller.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * A hand-driven MQTT client over a plain socket: packets encoded by Netty's encoder, replies
 * decoded by Netty's decoder. Lets a test do what well-behaved clients never do (oversize packets,
 * silence past the keep-alive, vanish without DISCONNECT).
 */
final class RawMqttClient implements AutoCloseable {
    private final Socket socket;
    private final EmbeddedChannel encoder = new EmbeddedChannel(MqttEncoder.INSTANCE);
    private final EmbeddedChannel decoder = new EmbeddedChannel(new MqttDecoder(1 << 20));

    RawMqttClient(InetSocketAddress address) throws IOException {
        this(address, 0);
    }

    /** With {@code receiveBufferBytes} as the socket's receive buffer (0: the OS default), so that a client that does not read fills it soon. */
    RawMqttClient(InetSocketAddress address, int receiveBufferBytes) throws IOException {
        socket = new Socket();
        if (receiveBufferBytes > 0) {
            socket.setReceiveBufferSize(receiveBufferBytes);
        }
        socket.setTcpNoDelay(true); // a request and its reply each one packet, no Nagle delay
        socket.connect(address, 5_000);
        socket.setSoTimeout(10_000);
    }

    void send(MqttMessage message) throws IOException {
        encoder.writeOutbound(message);
        ByteBuf buf;
        while ((buf = encoder.readOutbound()) != null) {
            byte[] bytes = ByteBufUtil.getBytes(buf);
            buf.release();
            if (message instanceof MqttConnectMessage) {
                decoder.writeInbound(Unpooled.wrappedBuffer(bytes)); // learn the protocol version
                decoder.readInbound();
            }
            socket.getOutputStream().write(bytes);
        }
        socket.getOutputStream().flush();
    }

    /** The bytes of {@code messages} as this client sends them (after CONNECT was sent: it fixes the version). */
    byte[] encode(MqttMessage... messages) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (MqttMessage message : messages) {
            encoder.writeOutbound(message);
            ByteBuf buf;
            while ((buf = encoder.readOutbound()) != null) {
                out.writeBytes(ByteBufUtil.getBytes(buf));
                buf.release();
            }
        }
        return out.toByteArray();
    }

    void sendRaw(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    /** The next packet from the server, or {@code null} when it closed the connection. */
    MqttMessage read() throws IOException {
        InputStream in = socket.getInputStream();
        byte[] chunk = new byte[4096];
        while (true) {
            MqttMessage message = decoder.readInbound();
            if (message != null) {
                return message;
            }
            int n;
            try {
                n = in.read(chunk);
            } catch (SocketTimeoutException e) {
                throw new IOException("no packet from the server within the socket timeout", e);
            }
            if (n < 0) {
                return null;
            }
            decoder.writeInbound(Unpooled.copiedBuffer(chunk, 0, n));
        }
    }

    /** Drops the TCP connection with a reset, as a crashed host or a pulled cable would. */
    void kill() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
        encoder.finishAndReleaseAll();
        decoder.finishAndReleaseAll();
    }
}
