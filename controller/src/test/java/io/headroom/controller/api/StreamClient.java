package io.headroom.controller.api;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /api/v1/stream} (or a device page's {@code GET /api/v1/stream/device/{id}}) opened over a raw socket, as the stream ITs read it: the request, then the
 * response line by line, so that a test sees the status, the headers and every event as sent (and can
 * make its own socket a slow reader with a small receive buffer).
 */
final class StreamClient implements AutoCloseable {
    private final Socket socket = new Socket();
    private final BufferedReader in;

    /** A stream as {@code user} with Basic credentials (null: none). */
    static StreamClient as(int port, String user) throws IOException {
        return new StreamClient(port, user == null ? null : TestUsers.basic(user), 0);
    }

    /** The stream of device {@code id}'s page as {@code user} with Basic credentials (null: none). */
    static StreamClient device(int port, String user, String id) throws IOException {
        return new StreamClient(port, StreamRoutes.DEVICE_STREAM + id, user == null ? null : TestUsers.basic(user), 0);
    }

    /**
     * @param authorization the {@code Authorization} header's value; null for none
     * @param receiveBuffer the socket's receive buffer in bytes; 0 for the system's
     */
    StreamClient(int port, String authorization, int receiveBuffer) throws IOException {
        this(port, StreamRoutes.STREAM, authorization, receiveBuffer);
    }

    /** As {@link #StreamClient(int, String, int)}, of the stream at {@code path}. */
    StreamClient(int port, String path, String authorization, int receiveBuffer) throws IOException {
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
        socket.setSoTimeout(10_000);
        String auth = authorization == null ? "" : "Authorization: " + authorization + "\r\n";
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n" + auth + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    }

    /** The status line and headers. */
    List<String> head() throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
            lines.add(line);
        }
        return lines;
    }

    /** The next event's name and data lines (chunk-size lines of the chunked encoding and heartbeats skipped). */
    String[] nextEvent() throws IOException {
        String name = null;
        StringBuilder data = new StringBuilder();
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.startsWith("event: ")) {
                name = line.substring(7);
            } else if (line.startsWith("data: ")) {
                data.append(line.substring(6));
            } else if (line.isEmpty() && name != null) {
                return new String[] {name, data.toString()};
            }
        }
        throw new IOException("the stream ended");
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
