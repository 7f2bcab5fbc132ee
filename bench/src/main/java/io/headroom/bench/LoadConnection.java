package io.headroom.bench;

import io.headroom.protocol.MalformedPayloadException;
import io.headroom.protocol.WireCodec;
import io.headroom.protocol.wire.Ack;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * One load-generator agent: a raw MQTT 5 connection that sends a Birth and then Data at QoS 1, and
 * keeps, per message, the time it was due so that the time to its acknowledgement can be recorded.
 * Against the controller an acknowledgement is the application {@code Ack} (the controller sends it
 * after the store has applied the samples, {@code Ingest.onData}); against a plain broker, which
 * has no such thing, the PUBACK. Owned by one {@link LoadGenerator} thread after {@link #open}.
 */
final class LoadConnection {
    /** Due times kept per seq and per packet id; in flight is bounded far below this. */
    private static final int RING = 1 << 16;

    private static final int CONNECT_TIMEOUT_MS = 60_000;

    final RackTraffic traffic;
    private final boolean appAcks;
    private final byte[] dataTopic;
    private final ByteBuffer out;
    private final ByteBuffer in = ByteBuffer.allocate(1 << 16);
    private final long[] dueBySeq = new long[RING];
    /** When each seq's last byte was handed to the kernel; 0 while some of it is still in {@link #out}. */
    private final long[] writtenBySeq = new long[RING];
    /** The seq each packet id went out with, for its PUBACK. */
    private final long[] seqByPacket = new long[RING];
    /** Every seq up to this one has been handed to the kernel. */
    private long writtenThrough = 1;

    private final int[] length = new int[1];
    private SocketChannel channel;
    private SelectionKey key;
    private boolean wantWrite;
    private int window;
    private int nextPacketId = 1;
    private int pubInflight;
    private long seqSent = 1; // the Birth
    private long seqAcked;
    private long nextDue;
    private long periodNanos;

    long dataSent;
    long rebirths;
    String failure;

    LoadConnection(RackTraffic traffic, boolean appAcks, String dataTopic) {
        this.traffic = traffic;
        this.appAcks = appAcks;
        this.dataTopic = MqttFrames.utf8(dataTopic);
        int publish = MqttFrames.publishSize(this.dataTopic, Math.max(traffic.birth().length, traffic.maxDataBytes()));
        out = ByteBuffer.allocateDirect(2 * publish + 4096);
        in.limit(0); // read mode: position..limit is what has been read and not yet handled
    }

    /**
     * Connects, subscribes to {@code ackTopic} (null: none), publishes the Birth and waits for its
     * acknowledgement, all blocking; then the channel is made non-blocking for the generator.
     */
    void open(InetSocketAddress server, String username, String password, String ackTopic, int maxWindow)
            throws IOException {
        channel = SocketChannel.open();
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        channel.socket().setSoTimeout(CONNECT_TIMEOUT_MS);
        channel.connect(server);
        MqttFrames.connect(out, traffic.agent(), username, password, 60);
        flushBlocking();
        int at = awaitPacket(MqttFrames.CONNACK);
        int reason = in.get(at + 1) & 0xFF;
        if (reason != 0) {
            throw new IOException(traffic.agent() + ": CONNACK reason 0x" + Integer.toHexString(reason));
        }
        window = Math.min(maxWindow, MqttFrames.receiveMaximum(in, at, in.position() + MqttFrames.packetLength(in)));
        consume();
        if (ackTopic != null) {
            MqttFrames.subscribe(out, nextPacketId(), ackTopic, 1);
            flushBlocking();
            int suback = awaitPacket(MqttFrames.SUBACK);
            // Packet id, properties (a length under 128 here: at most a reason string), first reason code.
            int code = in.get(suback + 3 + (in.get(suback + 2) & 0x7F)) & 0xFF;
            if (code > 1) {
                throw new IOException(traffic.agent() + ": SUBACK 0x" + Integer.toHexString(code));
            }
            consume();
        }
        byte[] birth = traffic.birth();
        int birthId = nextPacketId();
        MqttFrames.publish(out, MqttFrames.utf8(birthTopic()), 1, birthId, birth, birth.length);
        flushBlocking();
        boolean pubAck = false;
        boolean ack = !appAcks;
        while (!pubAck || !ack) {
            awaitPacket(-1);
            int type = peekType();
            if (type == MqttFrames.PUBACK) {
                pubAck = true;
                consume();
            } else if (type == MqttFrames.PUBLISH) {
                onPublish(0, null, false);
                ack = seqAcked >= 1;
                flushBlocking();
            } else {
                consume();
            }
        }
        if (rebirths > 0) {
            throw new IOException(traffic.agent() + ": the controller asked for a rebirth after the Birth");
        }
        channel.socket().setSoTimeout(0);
        channel.configureBlocking(false);
    }

    private String birthTopic() {
        String data = new String(dataTopic, StandardCharsets.UTF_8);
        return data.substring(0, data.length() - "data".length()) + "birth";
    }

    void register(Selector selector) throws IOException {
        key = channel.register(selector, SelectionKey.OP_READ, this);
    }

    /** Rate mode: {@code perSecond} messages a second from {@code start}. */
    void schedule(long start, double perSecond) {
        periodNanos = Math.round(1e9 / perSecond);
        nextDue = start;
    }

    long nextDue() {
        return nextDue;
    }

    /**
     * Rate mode: the messages due by {@code now} that the window has not let out yet, which a real agent's
     * outbox would be holding; 0 in max mode.
     */
    long backlog(long now) {
        return periodNanos == 0 || nextDue > now ? 0 : (now - nextDue) / periodNanos + 1;
    }

    long seqSent() {
        return seqSent;
    }

    long seqAcked() {
        return seqAcked;
    }

    int pubInflight() {
        return pubInflight;
    }

    /** Rate mode: a message is due by {@code now} and the window holds it back until an ack comes. */
    boolean heldByWindow(long now) {
        return periodNanos != 0 && nextDue <= now && !canSend();
    }

    /** Everything sent has been acknowledged. */
    boolean settled() {
        return pubInflight == 0 && (!appAcks || seqAcked == seqSent);
    }

    private boolean canSend() {
        return pubInflight < window
                && (!appAcks || seqSent - seqAcked < window)
                && out.remaining() >= MqttFrames.publishSize(dataTopic, traffic.maxDataBytes());
    }

    /** Sends what is due at {@code now}: in max mode as much as the window allows. */
    void pump(long now, boolean rate, LoadGenerator.Window measure) throws IOException {
        if (rate) {
            while (nextDue <= now && canSend()) {
                send(nextDue, measure);
                nextDue += periodNanos;
            }
        } else {
            while (canSend()) {
                send(now, measure);
            }
        }
        flush(measure);
    }

    private void send(long due, LoadGenerator.Window measure) {
        long seq = ++seqSent;
        byte[] payload = traffic.next(seq, System.currentTimeMillis(), length);
        int packetId = nextPacketId();
        MqttFrames.publish(out, dataTopic, 1, packetId, payload, length[0]);
        dueBySeq[(int) (seq & (RING - 1))] = due;
        writtenBySeq[(int) (seq & (RING - 1))] = 0;
        seqByPacket[packetId & (RING - 1)] = seq;
        pubInflight++;
        dataSent++;
        if (measure.contains(due)) {
            measure.sent++;
        }
    }

    private int nextPacketId() {
        int id = nextPacketId;
        nextPacketId = id == 65_535 ? 1 : id + 1;
        return id;
    }

    /**
     * Writes what is buffered; once it is all with the kernel, the messages it held count as written, and their
     * due → written time goes into {@code measure}'s send lag (null: not measured).
     */
    void flush(LoadGenerator.Window measure) throws IOException {
        if (out.position() == 0) {
            return; // nothing to write: no system call
        }
        out.flip();
        channel.write(out);
        out.compact();
        boolean pending = out.position() > 0;
        if (!pending && writtenThrough < seqSent) {
            long now = System.nanoTime();
            for (long seq = writtenThrough + 1; seq <= seqSent; seq++) {
                int slot = (int) (seq & (RING - 1));
                writtenBySeq[slot] = now;
                if (measure != null && measure.contains(dueBySeq[slot])) {
                    measure.sendLag.record(now - dueBySeq[slot]);
                }
            }
            writtenThrough = seqSent;
        }
        if (pending != wantWrite && key != null) {
            wantWrite = pending;
            key.interestOps(pending ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }
    }

    /** Reads what is there and handles every whole packet; false when the server closed. */
    boolean read(long now, LoadGenerator.Window measure) throws IOException {
        in.compact();
        int n = channel.read(in);
        in.flip();
        if (n < 0) {
            failure = traffic.agent() + ": the server closed the connection";
            return false;
        }
        while (true) {
            int packet = MqttFrames.packetLength(in);
            if (packet < 0 || packet > in.remaining()) {
                if (packet > in.capacity()) {
                    throw new IOException(traffic.agent() + ": a packet of " + packet + " bytes from the server");
                }
                return true;
            }
            int type = peekType();
            if (type == MqttFrames.PUBACK) {
                int body = MqttFrames.bodyStart(in, in.position());
                int packetId = in.getShort(body) & 0xFFFF;
                pubInflight--;
                int slot = (int) (seqByPacket[packetId & (RING - 1)] & (RING - 1));
                long due = dueBySeq[slot];
                if (measure.contains(due)) {
                    measure.pubAck.record(now - due);
                    long written = writtenBySeq[slot];
                    if (written != 0) {
                        measure.pubAckAfterWrite.record(now - written);
                    }
                }
                consume();
            } else if (type == MqttFrames.PUBLISH) {
                onPublish(now, measure, true);
            } else if (type == MqttFrames.DISCONNECT) {
                int body = MqttFrames.bodyStart(in, in.position());
                int reason = body < in.position() + packet ? in.get(body) & 0xFF : 0;
                failure = traffic.agent() + ": DISCONNECT 0x" + Integer.toHexString(reason) + " from the server";
                return false;
            } else {
                consume(); // PINGRESP and the like
            }
        }
    }

    /** A PUBLISH from the server: the controller's Ack on this agent's ack topic. */
    private void onPublish(long now, LoadGenerator.Window measure, boolean record) throws IOException {
        int start = in.position();
        int end = start + MqttFrames.packetLength(in);
        int qos = (in.get(start) >> 1) & 3;
        int at = MqttFrames.bodyStart(in, start);
        at += 2 + (in.getShort(at) & 0xFFFF);
        if (qos > 0) {
            MqttFrames.pubAck(out, in.getShort(at) & 0xFFFF);
            at += 2;
        }
        int properties = 0;
        int shift = 0;
        int b;
        do {
            b = in.get(at++) & 0xFF;
            properties |= (b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        at += properties;
        Ack ack;
        try {
            ack = WireCodec.decode(in.duplicate().position(at).limit(end).slice(), Ack.class);
        } catch (MalformedPayloadException e) {
            throw new IOException(traffic.agent() + ": an Ack that does not decode", e);
        }
        in.position(end);
        if (ack.getRebirth()) {
            rebirths++;
        }
        if (ack.getBootId() == traffic.bootId() && ack.getSeq() > seqAcked) {
            for (long seq = seqAcked + 1; seq <= ack.getSeq() && record; seq++) {
                long due = dueBySeq[(int) (seq & (RING - 1))];
                if (seq > 1 && measure.contains(due)) {
                    measure.appAck.record(now - due);
                    measure.acked++;
                    long written = writtenBySeq[(int) (seq & (RING - 1))];
                    if (written != 0) {
                        measure.appAckAfterWrite.record(now - written);
                    }
                }
            }
            seqAcked = ack.getSeq();
        }
    }

    private int peekType() {
        return (in.get(in.position()) & 0xFF) >> 4;
    }

    private void consume() {
        in.position(in.position() + MqttFrames.packetLength(in));
    }

    /** Reads until a whole packet is there and returns where its variable header starts. */
    private int awaitPacket(int expectedType) throws IOException {
        while (true) {
            int packet = MqttFrames.packetLength(in);
            if (packet >= 0 && packet <= in.remaining()) {
                int type = peekType();
                if (expectedType >= 0 && type != expectedType) {
                    throw new IOException(traffic.agent() + ": expected packet type " + expectedType + ", got " + type);
                }
                return MqttFrames.bodyStart(in, in.position());
            }
            if (!readBlocking()) {
                throw new IOException(traffic.agent() + ": the server closed the connection while setting up");
            }
        }
    }

    private boolean readBlocking() throws IOException {
        in.compact();
        int n = channel.socket().getInputStream().read(in.array(), in.position(), in.remaining());
        if (n > 0) {
            in.position(in.position() + n);
        }
        in.flip();
        return n > 0;
    }

    private void flushBlocking() throws IOException {
        out.flip();
        while (out.hasRemaining()) {
            channel.write(out);
        }
        out.clear();
    }

    /** Says goodbye (DISCONNECT) and closes. */
    void close() {
        try {
            if (channel.isOpen() && out.remaining() >= 2) {
                MqttFrames.disconnect(out);
                out.flip();
                channel.write(out);
            }
        } catch (IOException e) {
            // closing anyway
        }
        try {
            channel.close();
        } catch (IOException e) {
            // nothing left to do
        }
    }
}
