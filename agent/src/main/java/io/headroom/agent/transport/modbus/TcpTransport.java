package io.headroom.agent.transport.modbus;

import io.headroom.agent.transport.modbus.ModbusException.Kind;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Modbus over one TCP connection to one endpoint: either Modbus TCP (an MBAP header with a transaction
 * id, protocol 0, length and unit id before each PDU) or RTU over TCP (RTU frames with their CRC on
 * the socket, as serial gateways speak them). One request at a time; the connection is opened on first
 * use and after a failure.
 *
 * <p>Resynchronisation: a Modbus TCP reply with an older transaction id (the late answer to a request
 * that timed out) is skipped. Any other bad frame, and every timeout, closes the connection, because
 * on a byte stream the only sure way past half a frame is a new stream. A request on a connection the
 * peer closed while idle (gateways do) is sent again once on a new one.
 */
public final class TcpTransport implements ModbusTransport {

    /** What goes on the socket. */
    public enum Framing {
        /** Modbus TCP: MBAP header, no CRC. */
        MBAP,
        /** RTU frames (unit, PDU, CRC) on a TCP socket. */
        RTU
    }

    private static final int MBAP_HEADER = 7;

    private final Logger logger = LoggerFactory.getLogger(TcpTransport.class);
    private final String host;
    private final int port;
    private final Framing framing;
    private final ReentrantLock lock = new ReentrantLock(true);
    private volatile boolean closed;

    // Guarded by lock.
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private int transactionId;

    public TcpTransport(String host, int port, Framing framing) {
        this.host = Objects.requireNonNull(host, "host");
        this.port = port;
        this.framing = Objects.requireNonNull(framing, "framing");
    }

    @Override
    public byte[] exchange(int unit, byte[] request, Duration timeout) throws ModbusException, InterruptedException {
        RtuFrames.requireUnit(unit);
        lock.lockInterruptibly();
        try {
            if (closed) {
                throw new ModbusException(Kind.CLOSED, describe() + ": closed (agent stopping)");
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            boolean reused = socket != null;
            try {
                return attempt(unit, request, deadline);
            } catch (EOFException e) {
                disconnect();
                if (!reused) {
                    throw new ModbusException(Kind.UNREACHABLE, prefix(unit) + "connection closed by the peer", e);
                }
                logger.debug("{}: idle connection was closed by the peer; reconnecting", describe());
                try {
                    return attempt(unit, request, deadline);
                } catch (EOFException again) {
                    disconnect();
                    throw new ModbusException(Kind.UNREACHABLE, prefix(unit) + "connection closed by the peer", again);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private byte[] attempt(int unit, byte[] request, long deadline) throws ModbusException, EOFException {
        try {
            connect(unit, deadline);
            byte[] response = framing == Framing.MBAP ? mbap(unit, request, deadline) : rtu(unit, request, deadline);
            ModbusPdu.check(request, response);
            return response;
        } catch (SocketTimeoutException e) {
            disconnect();
            throw new ModbusException(Kind.TIMEOUT, prefix(unit) + "no complete reply in time", e);
        } catch (EOFException e) {
            throw e;
        } catch (ModbusException e) {
            if (e.kind() != Kind.EXCEPTION) {
                disconnect();
            }
            throw e.withContext(prefix(unit));
        } catch (IOException e) {
            disconnect();
            throw new ModbusException(Kind.UNREACHABLE, prefix(unit) + e.getMessage(), e);
        }
    }

    private void connect(int unit, long deadline) throws IOException, ModbusException {
        if (socket != null) {
            return;
        }
        Socket fresh = new Socket();
        try {
            fresh.setTcpNoDelay(true);
            fresh.connect(new InetSocketAddress(host, port), remainingMillis(deadline));
        } catch (SocketTimeoutException e) {
            fresh.close();
            throw new ModbusException(Kind.UNREACHABLE, prefix(unit) + "connect timed out", e);
        } catch (java.net.ConnectException e) {
            fresh.close();
            throw new ModbusException(Kind.REFUSED, prefix(unit) + "cannot connect: " + e.getMessage(), e);
        } catch (IOException e) {
            fresh.close();
            throw new ModbusException(Kind.UNREACHABLE, prefix(unit) + "cannot connect: " + e.getMessage(), e);
        }
        socket = fresh;
        in = fresh.getInputStream();
        out = fresh.getOutputStream();
    }

    private byte[] mbap(int unit, byte[] request, long deadline) throws IOException, ModbusException {
        transactionId = (transactionId + 1) & 0xFFFF;
        int tid = transactionId;
        byte[] frame = new byte[MBAP_HEADER + request.length];
        frame[0] = (byte) (tid >>> 8);
        frame[1] = (byte) tid;
        frame[4] = (byte) ((request.length + 1) >>> 8);
        frame[5] = (byte) (request.length + 1);
        frame[6] = (byte) unit;
        System.arraycopy(request, 0, frame, MBAP_HEADER, request.length);
        out.write(frame);
        out.flush();
        while (true) {
            byte[] header = readFully(MBAP_HEADER, deadline);
            int gotTid = ModbusPdu.word(header, 0);
            int protocol = ModbusPdu.word(header, 2);
            int length = ModbusPdu.word(header, 4);
            if (protocol != 0 || length < 2 || length > 254) {
                throw new ModbusException(
                        Kind.BAD_RESPONSE, "MBAP header with protocol " + protocol + " and length " + length);
            }
            byte[] pdu = readFully(length - 1, deadline);
            if (gotTid != tid) {
                logger.debug("{}: skipped a reply to transaction {} while waiting for {}", describe(), gotTid, tid);
                continue;
            }
            if ((header[6] & 0xFF) != unit) {
                throw new ModbusException(
                        Kind.BAD_RESPONSE, "reply is from unit " + (header[6] & 0xFF) + ", not " + unit);
            }
            return pdu;
        }
    }

    private byte[] rtu(int unit, byte[] request, long deadline) throws IOException, ModbusException {
        out.write(RtuFrames.frame(unit, request));
        out.flush();
        byte[] head = readFully(2, deadline);
        int length = (head[1] & 0x80) != 0 ? 5 : RtuFrames.replyLength(request);
        byte[] frame = new byte[length];
        frame[0] = head[0];
        frame[1] = head[1];
        byte[] rest = readFully(length - 2, deadline);
        System.arraycopy(rest, 0, frame, 2, rest.length);
        byte[] pdu = RtuFrames.unframe(unit, request, frame, length);
        // unframe checked the PDU against the request already; the caller checks again, harmlessly.
        return pdu;
    }

    private byte[] readFully(int n, long deadline) throws IOException {
        byte[] bytes = new byte[n];
        int got = 0;
        while (got < n) {
            socket.setSoTimeout(remainingMillis(deadline));
            int read = in.read(bytes, got, n - got);
            if (read < 0) {
                throw new EOFException("connection closed by the peer after " + got + " of " + n + " bytes");
            }
            got += read;
        }
        return bytes;
    }

    private static int remainingMillis(long deadline) throws SocketTimeoutException {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new SocketTimeoutException("timeout");
        }
        return (int) Math.min(left, Integer.MAX_VALUE);
    }

    private void disconnect() {
        Socket current = socket;
        socket = null;
        in = null;
        out = null;
        if (current != null) {
            try {
                current.close();
            } catch (IOException e) {
                logger.debug("{}: closing the socket failed", describe(), e);
            }
        }
    }

    private String prefix(int unit) {
        return "unit " + unit + " at " + describe() + ": ";
    }

    @Override
    public String describe() {
        return (framing == Framing.MBAP ? "tcp " : "rtu-over-tcp ") + host + ":" + port;
    }

    /** Closes the connection; a request in progress fails and later ones fail as closed. Idempotent. */
    @Override
    public void close() {
        closed = true;
        Socket current = socket;
        if (current != null) {
            try {
                current.close();
            } catch (IOException e) {
                logger.debug("{}: closing the socket failed", describe(), e);
            }
        }
    }
}
