package io.headroom.agent.driver.cgminer;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headroom.agent.rawreply.RawReplyRecorder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Sends one CGMiner request per TCP connection, as the firmware expects (it replies and closes).
 * Connecting and the whole reply share one deadline, the device's timeout, so a device that
 * trickles bytes cannot hold a poll longer than that. Replies end at EOF or at a NUL byte and may
 * be at most {@link #MAX_REPLY_BYTES}.
 *
 * <p>Not for concurrent use, except {@link #close()}, which aborts the request in flight (the
 * socket is closed from the calling thread; blocking socket reads cannot be interrupted).
 */
final class CgminerClient implements AutoCloseable {

    /** Largest reply accepted; a full {@code stats} is a few KiB. */
    static final int MAX_REPLY_BYTES = 1 << 20;

    private final String host;
    private final int port;
    private final Duration timeout;
    private final RawReplyRecorder replies;
    private volatile Socket inFlight;
    private volatile boolean closed;

    CgminerClient(String host, int port, Duration timeout) {
        this(host, port, timeout, RawReplyRecorder.NONE);
    }

    /** @param replies keeps each request and the reply text as it came, for the raw last reply */
    CgminerClient(String host, int port, Duration timeout, RawReplyRecorder replies) {
        this.host = host;
        this.port = port;
        this.timeout = timeout;
        this.replies = replies;
    }

    /** Sends {@code {"command":…}} and parses the reply. */
    CgminerReply request(String command) throws CgminerException, InterruptedException {
        return request(command, null);
    }

    /** Sends {@code {"command":…,"parameter":…}} (no parameter when null) and parses the reply. */
    CgminerReply request(String command, String parameter) throws CgminerException, InterruptedException {
        return CgminerReply.parse(command, exchange(command, parameter));
    }

    /** Sends one request and returns the raw reply text; the recorder keeps both, or why none came. */
    String exchange(String command, String parameter) throws CgminerException, InterruptedException {
        String asked = parameter == null ? command : command + "|" + parameter;
        try {
            String reply = send(command, parameter);
            replies.exchange(asked, reply);
            return reply;
        } catch (CgminerException e) {
            replies.failed(asked, e.getMessage());
            throw e;
        }
    }

    private String send(String command, String parameter) throws CgminerException, InterruptedException {
        if (closed) {
            throw new CgminerException(CgminerException.CLOSED, command + ": driver closed");
        }
        ObjectNode request = JsonNodeFactory.instance.objectNode().put("command", command);
        if (parameter != null) {
            request.put("parameter", parameter);
        }
        long timeoutMillis = Math.max(1, timeout.toMillis());
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Socket socket = new Socket()) {
            inFlight = socket;
            if (closed) {
                throw new CgminerException(CgminerException.CLOSED, command + ": driver closed");
            }
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), (int) Math.min(Integer.MAX_VALUE, timeoutMillis));
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            return readReply(socket, command, deadline);
        } catch (CgminerException e) {
            throw e;
        } catch (SocketTimeoutException e) {
            throw new CgminerException(
                    CgminerException.TIMEOUT,
                    command + ": no complete reply from " + host + ":" + port + " within " + timeoutMillis + " ms",
                    e);
        } catch (ConnectException e) {
            throw new CgminerException(
                    closed ? CgminerException.CLOSED : CgminerException.CONNECTION_REFUSED,
                    command + ": cannot connect to " + host + ":" + port + ": " + e.getMessage(),
                    e);
        } catch (UnknownHostException e) {
            throw new CgminerException(CgminerException.UNKNOWN_HOST, command + ": unknown host " + host, e);
        } catch (IOException e) {
            throw new CgminerException(
                    closed ? CgminerException.CLOSED : CgminerException.IO_ERROR,
                    command + ": " + host + ":" + port + ": " + e,
                    e);
        } finally {
            inFlight = null;
            if (Thread.interrupted()) {
                throw new InterruptedException(command + ": interrupted");
            }
        }
    }

    private String readReply(Socket socket, String command, long deadline) throws IOException, CgminerException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream reply = new ByteArrayOutputStream(8192);
        byte[] buffer = new byte[8192];
        while (true) {
            long remainingMillis = (deadline - System.nanoTime()) / 1_000_000;
            if (remainingMillis <= 0) {
                throw new SocketTimeoutException("deadline passed");
            }
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, remainingMillis));
            int n = in.read(buffer);
            if (n < 0) {
                break;
            }
            int end = indexOfNul(buffer, n);
            int take = end < 0 ? n : end;
            if (reply.size() + take > MAX_REPLY_BYTES) {
                throw new CgminerException(
                        CgminerException.BAD_RESPONSE, command + ": reply exceeds " + MAX_REPLY_BYTES + " bytes");
            }
            reply.write(buffer, 0, take);
            if (end >= 0) {
                break;
            }
        }
        if (reply.size() == 0) {
            throw new CgminerException(CgminerException.BAD_RESPONSE, command + ": empty reply", true);
        }
        return reply.toString(StandardCharsets.UTF_8);
    }

    private static int indexOfNul(byte[] buffer, int length) {
        for (int i = 0; i < length; i++) {
            if (buffer[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    /** Aborts the request in flight, if any; later requests fail with reason {@code closed}. */
    @Override
    public void close() {
        closed = true;
        Socket socket = inFlight;
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing to abort: nothing left to do
            }
        }
    }
}
