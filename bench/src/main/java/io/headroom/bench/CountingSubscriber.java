package io.headroom.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * The one subscriber of the Mosquitto run: subscribes to every agent's Data at QoS 0 (Debian's
 * Mosquitto 2.0.11 collapses with a QoS 1 subscriber at this rate, issue 9) and counts the PUBLISH
 * packets it is forwarded, skipping their payloads unread. A thread of its own, blocking reads.
 */
final class CountingSubscriber implements AutoCloseable, Runnable {
    private final SocketChannel channel;
    private final ByteBuffer in = ByteBuffer.allocateDirect(1 << 20);
    private final Thread thread = new Thread(this, "counting-subscriber");
    private volatile long published;
    private volatile String failure;

    private CountingSubscriber(SocketChannel channel) {
        this.channel = channel;
    }

    static CountingSubscriber start(InetSocketAddress broker, String filter) throws IOException {
        SocketChannel channel = SocketChannel.open(broker);
        ByteBuffer out = ByteBuffer.allocate(512);
        MqttFrames.connect(out, "bench-subscriber", null, null, 0);
        MqttFrames.subscribe(out, 1, filter, 0);
        out.flip();
        while (out.hasRemaining()) {
            channel.write(out);
        }
        CountingSubscriber subscriber = new CountingSubscriber(channel);
        subscriber.thread.setDaemon(true);
        subscriber.thread.start();
        return subscriber;
    }

    /** PUBLISH packets received so far. */
    long published() {
        return published;
    }

    String failure() {
        return failure;
    }

    @Override
    public void run() {
        long count = 0;
        long skip = 0;
        boolean subscribed = false;
        try {
            while (true) {
                if (channel.read(in) < 0) {
                    return;
                }
                in.flip();
                while (true) {
                    if (skip > 0) {
                        int n = (int) Math.min(skip, in.remaining());
                        in.position(in.position() + n);
                        skip -= n;
                        if (skip > 0) {
                            break;
                        }
                    }
                    int length = MqttFrames.packetLength(in);
                    if (length < 0) {
                        break;
                    }
                    int type = (in.get(in.position()) & 0xFF) >> 4;
                    if (type == MqttFrames.PUBLISH) {
                        published = ++count;
                    } else if (type == MqttFrames.SUBACK) {
                        subscribed = true;
                    } else if (type == MqttFrames.DISCONNECT) {
                        failure = "subscriber: DISCONNECT from the broker";
                        return;
                    }
                    skip = length;
                }
                in.compact();
            }
        } catch (IOException e) {
            if (channel.isOpen()) {
                failure = "subscriber: " + e + (subscribed ? "" : " (before its SUBACK)");
            }
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
