package io.headroom.simulator.cgminer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A blocking one-request-per-connection client, like the agents' and pyasic's. */
public final class RpcTestClient {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private RpcTestClient() {}

    /** Sends raw bytes and returns everything the server writes before closing. */
    public static byte[] exchange(InetSocketAddress address, byte[] request, int timeoutMillis) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(address, timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            return readAll(socket.getInputStream());
        }
    }

    public static byte[] exchange(InetSocketAddress address, String request) throws IOException {
        return exchange(address, request.getBytes(StandardCharsets.UTF_8), 5000);
    }

    /** Sends {@code {"command":…,"parameter":…}} and parses the reply as strict JSON. */
    public static JsonNode command(InetSocketAddress address, String command, String parameter) throws IOException {
        String request = parameter == null
                ? MAPPER.createObjectNode().put("command", command).toString()
                : MAPPER.createObjectNode()
                        .put("command", command)
                        .put("parameter", parameter)
                        .toString();
        return MAPPER.readTree(exchange(address, request));
    }

    public static JsonNode command(InetSocketAddress address, String command) throws IOException {
        return command(address, command, null);
    }

    static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) >= 0) {
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }
}
