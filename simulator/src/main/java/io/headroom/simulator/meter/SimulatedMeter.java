package io.headroom.simulator.meter;

import com.digitalpetri.modbus.ExceptionCode;
import com.digitalpetri.modbus.server.ModbusTcpServer;
import com.digitalpetri.modbus.tcp.server.NettyTcpServerTransport;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated Eastron SDM630 three-phase meter served over Modbus TCP (digitalpetri modbus server on
 * loopback): input registers (FC 04) per {@link Sdm630Registers}, from a {@link MeterModel} read at each
 * request. Other function codes are answered with exception 01 (illegal function), reads outside the map
 * or of more than 125 registers with 02 (illegal data address) or 03 (illegal data value); requests to
 * another unit id are not answered, as a gateway without that slave would not.
 *
 * <p>Hostile input: a function code the server does not know is answered with exception 01; a frame
 * whose MBAP header is impossible (protocol id not 0, length outside 2..254)
 * closes that connection and is counted in {@link #garbageFrames()}; a connection silent for 30 s with a
 * half frame is closed. Other clients are not disturbed.
 */
public final class SimulatedMeter implements AutoCloseable {
    private static final Logger logger = LoggerFactory.getLogger(SimulatedMeter.class);
    /** MBAP length counts the unit id and the PDU: 1 + at most 253 bytes. */
    private static final int MAX_MBAP_LENGTH = 254;

    private static final int IDLE_SECONDS = 30;

    private final String id;
    private final int unitId;
    private final InetSocketAddress address;
    private final ModbusTcpServer server;
    private final MeterCounters counters;
    private volatile boolean closed;

    private SimulatedMeter(
            String id, int unitId, InetSocketAddress address, ModbusTcpServer server, MeterCounters counters) {
        this.id = id;
        this.unitId = unitId;
        this.address = address;
        this.server = server;
        this.counters = counters;
    }

    /**
     * Starts a meter answering as {@code unitId} on {@code bind} (port 0 for a free one).
     *
     * @throws IOException when the port cannot be bound
     */
    public static SimulatedMeter start(String id, MeterModel model, int unitId, InetSocketAddress bind)
            throws IOException {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(bind, "bind");
        if (unitId < 1 || unitId > 247) {
            throw new IllegalArgumentException("unitId: must be in [1, 247], got " + unitId);
        }
        int port = bind.getPort() == 0 ? freePort(bind.getAddress()) : bind.getPort();
        MeterCounters counters = new MeterCounters();
        NettyTcpServerTransport transport = NettyTcpServerTransport.create(cfg -> {
            cfg.bindAddress = bind.getAddress().getHostAddress();
            cfg.port = port;
            cfg.pipelineCustomizer = pipeline -> {
                pipeline.addFirst("headroom-mbap-guard", new MbapGuard(counters));
                pipeline.addFirst("headroom-idle", new ReadTimeoutHandler(IDLE_SECONDS, TimeUnit.SECONDS));
            };
        });
        ModbusTcpServer server = ModbusTcpServer.create(transport, new Sdm630Services(model, unitId, counters));
        try {
            server.start();
        } catch (ExecutionException e) {
            throw new IOException(
                    "meter " + id + ": cannot listen on " + bind.getAddress().getHostAddress() + ":" + port + ": "
                            + e.getCause(),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("meter " + id + ": interrupted while starting", e);
        }
        InetSocketAddress address = new InetSocketAddress(bind.getAddress(), port);
        logger.info("simulated meter {} (SDM630, unit {}) on modbus-tcp {}", id, unitId, address);
        return new SimulatedMeter(id, unitId, address, server, counters);
    }

    public String id() {
        return id;
    }

    public int unitId() {
        return unitId;
    }

    /** Where it answers Modbus TCP. */
    public InetSocketAddress address() {
        return address;
    }

    public int port() {
        return address.getPort();
    }

    /** Read requests answered with registers. */
    public long served() {
        return counters.served.get();
    }

    /** Requests answered with a Modbus exception, or not at all (another unit id). */
    public long refused() {
        return counters.refused.get();
    }

    /** Connections closed because their bytes were not Modbus TCP. */
    public long garbageFrames() {
        return counters.garbage.get();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.stop();
        } catch (ExecutionException e) {
            logger.debug("stopping meter {}: {}", id, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "SimulatedMeter[" + id + " unit " + unitId + " @" + address + "]";
    }

    /**
     * The transport binds the port it is given (it does not report a port 0 bind), so a free port is
     * chosen first; the tiny window in which another process could take it does not matter on loopback.
     */
    private static int freePort(InetAddress address) throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, address)) {
            return socket.getLocalPort();
        }
    }

    /**
     * In front of the library's codec: passes on whole frames whose MBAP header is possible and closes
     * the connection at the first one that is not (the codec itself would wait for up to 64 KiB of a
     * garbage length, or hand on a frame of another protocol).
     */
    private static final class MbapGuard extends ByteToMessageDecoder {
        /** Function codes the library decodes (Modbus application protocol v1.1b3 public codes). */
        private static final java.util.Set<Integer> SUPPORTED_FUNCTIONS =
                java.util.Set.of(0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0F, 0x10, 0x16, 0x17);

        private final MeterCounters counters;

        MbapGuard(MeterCounters counters) {
            this.counters = counters;
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            while (in.readableBytes() >= 6) {
                int start = in.readerIndex();
                int protocolId = in.getUnsignedShort(start + 2);
                int length = in.getUnsignedShort(start + 4);
                if (protocolId != 0 || length < 2 || length > MAX_MBAP_LENGTH) {
                    counters.garbage.incrementAndGet();
                    in.skipBytes(in.readableBytes());
                    ctx.close();
                    return;
                }
                if (in.readableBytes() < 6 + length) {
                    return;
                }
                int functionCode = in.getUnsignedByte(start + 7);
                if (!SUPPORTED_FUNCTIONS.contains(functionCode)) {
                    // The library has no decoder for it and would drop the connection; a device answers 01.
                    counters.refused.incrementAndGet();
                    ByteBuf reply = ctx.alloc().buffer(9);
                    reply.writeShort(in.getUnsignedShort(start));
                    reply.writeShort(0);
                    reply.writeShort(3);
                    reply.writeByte(in.getUnsignedByte(start + 6));
                    reply.writeByte(0x80 | (functionCode & 0x7F));
                    reply.writeByte(ExceptionCode.ILLEGAL_FUNCTION.getCode());
                    ctx.writeAndFlush(reply);
                    in.skipBytes(6 + length);
                    continue;
                }
                out.add(in.readRetainedSlice(6 + length));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            counters.garbage.incrementAndGet();
            logger.debug("meter connection {} closed: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }
}
