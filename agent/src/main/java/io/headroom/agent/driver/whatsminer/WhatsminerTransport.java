package io.headroom.agent.driver.whatsminer;

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
 * One request per TCP connection, as both Whatsminer APIs are used: connect, send, read the reply,
 * close. Connecting and the whole reply share one deadline (the device's timeout), so a miner that
 * trickles bytes cannot hold a poll longer than that. Replies are at most {@link #MAX_REPLY_BYTES}.
 *
 * <p>API v2 replies end at EOF or a NUL byte; API v3 frames are a 4-byte little-endian length and that
 * many bytes of JSON, and a length above the limit is refused before anything is allocated for it.
 *
 * <p>Not for concurrent use, except {@link #close()}, which aborts the request in flight.
 */
final class WhatsminerTransport implements AutoCloseable {

    /** Largest reply accepted; a full {@code devs} or {@code get.device.info} is a few KiB. */
    static final int MAX_REPLY_BYTES = 1 << 20;

    private final String host;
    private final Duration timeout;
    private final RawReplyRecorder replies;
    private volatile Socket inFlight;
    private volatile boolean closed;

    WhatsminerTransport(String host, Duration timeout) {
        this(host, timeout, RawReplyRecorder.NONE);
    }

    /**
     * @param replies keeps the command's name (never the request itself: a v2 write carries the token's
     *     sign, a v3 one the salted password's) and the reply text, for the raw last reply
     */
    WhatsminerTransport(String host, Duration timeout, RawReplyRecorder replies) {
        this.host = host;
        this.timeout = timeout;
        this.replies = replies;
    }

    /** API v2: sends the text, returns the reply up to EOF or NUL. */
    String exchangeV2(int port, String what, String request) throws WhatsminerException, InterruptedException {
        return recorded(
                "API v2 port " + port + ": " + what, port, what, request.getBytes(StandardCharsets.UTF_8), false);
    }

    /** API v3: sends one length-prefixed frame, returns the reply frame's JSON text. */
    String exchangeV3(int port, String what, String request) throws WhatsminerException, InterruptedException {
        byte[] body = request.getBytes(StandardCharsets.UTF_8);
        byte[] frame = new byte[body.length + 4];
        frame[0] = (byte) body.length;
        frame[1] = (byte) (body.length >>> 8);
        frame[2] = (byte) (body.length >>> 16);
        frame[3] = (byte) (body.length >>> 24);
        System.arraycopy(body, 0, frame, 4, body.length);
        return recorded("API v3 port " + port + ": " + what, port, what, frame, true);
    }

    private String recorded(String asked, int port, String what, byte[] request, boolean framed)
            throws WhatsminerException, InterruptedException {
        try {
            String reply = exchange(port, what, request, framed);
            replies.exchange(asked, reply);
            return reply;
        } catch (WhatsminerException e) {
            replies.failed(asked, e.getMessage());
            throw e;
        }
    }

    private String exchange(int port, String what, byte[] request, boolean framed)
            throws WhatsminerException, InterruptedException {
        if (closed) {
            throw new WhatsminerException(WhatsminerException.CLOSED, what + ": driver closed");
        }
        long timeoutMillis = Math.max(1, timeout.toMillis());
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Socket socket = new Socket()) {
            inFlight = socket;
            if (closed) {
                throw new WhatsminerException(WhatsminerException.CLOSED, what + ": driver closed");
            }
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), (int) Math.min(Integer.MAX_VALUE, timeoutMillis));
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            return framed ? readFrame(socket, what, deadline) : readToEnd(socket, what, deadline);
        } catch (WhatsminerException e) {
            throw e;
        } catch (SocketTimeoutException e) {
            throw new WhatsminerException(
                    WhatsminerException.TIMEOUT,
                    what + ": no complete reply from " + host + ":" + port + " within " + timeoutMillis + " ms",
                    e);
        } catch (ConnectException e) {
            throw new WhatsminerException(
                    closed ? WhatsminerException.CLOSED : WhatsminerException.CONNECTION_REFUSED,
                    what + ": cannot connect to " + host + ":" + port + ": " + e.getMessage(),
                    e);
        } catch (UnknownHostException e) {
            throw new WhatsminerException(WhatsminerException.UNKNOWN_HOST, what + ": unknown host " + host, e);
        } catch (IOException e) {
            throw new WhatsminerException(
                    closed ? WhatsminerException.CLOSED : WhatsminerException.IO_ERROR,
                    what + ": " + host + ":" + port + ": " + e,
                    e);
        } finally {
            inFlight = null;
            if (Thread.interrupted()) {
                throw new InterruptedException(what + ": interrupted");
            }
        }
    }

    private static String readToEnd(Socket socket, String what, long deadline) throws IOException, WhatsminerException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream reply = new ByteArrayOutputStream(4096);
        byte[] buffer = new byte[8192];
        while (true) {
            setRemaining(socket, deadline);
            int n = in.read(buffer);
            if (n < 0) {
                break;
            }
            int take = n;
            boolean nul = false;
            for (int i = 0; i < n; i++) {
                if (buffer[i] == 0) {
                    take = i;
                    nul = true;
                    break;
                }
            }
            if (reply.size() + take > MAX_REPLY_BYTES) {
                throw new WhatsminerException(
                        WhatsminerException.BAD_RESPONSE, what + ": reply exceeds " + MAX_REPLY_BYTES + " bytes");
            }
            reply.write(buffer, 0, take);
            if (nul) {
                break;
            }
        }
        if (reply.size() == 0) {
            throw new WhatsminerException(WhatsminerException.BAD_RESPONSE, what + ": empty reply");
        }
        return reply.toString(StandardCharsets.UTF_8);
    }

    private static String readFrame(Socket socket, String what, long deadline) throws IOException, WhatsminerException {
        InputStream in = socket.getInputStream();
        byte[] header = new byte[4];
        readFully(socket, in, header, what, deadline);
        long length =
                (header[0] & 0xFFL) | (header[1] & 0xFFL) << 8 | (header[2] & 0xFFL) << 16 | (header[3] & 0xFFL) << 24;
        if (length == 0 || length > MAX_REPLY_BYTES) {
            throw new WhatsminerException(
                    WhatsminerException.BAD_RESPONSE,
                    what + ": reply frame length " + length + " is outside 1.." + MAX_REPLY_BYTES);
        }
        byte[] body = new byte[(int) length];
        readFully(socket, in, body, what, deadline);
        return new String(body, StandardCharsets.UTF_8);
    }

    private static void readFully(Socket socket, InputStream in, byte[] into, String what, long deadline)
            throws IOException, WhatsminerException {
        int have = 0;
        while (have < into.length) {
            setRemaining(socket, deadline);
            int n = in.read(into, have, into.length - have);
            if (n < 0) {
                throw new WhatsminerException(
                        WhatsminerException.BAD_RESPONSE,
                        what + ": connection closed after " + have + " of " + into.length + " bytes of a frame");
            }
            have += n;
        }
    }

    private static void setRemaining(Socket socket, long deadline) throws IOException {
        long remainingMillis = (deadline - System.nanoTime()) / 1_000_000;
        if (remainingMillis <= 0) {
            throw new SocketTimeoutException("deadline passed");
        }
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, remainingMillis));
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
