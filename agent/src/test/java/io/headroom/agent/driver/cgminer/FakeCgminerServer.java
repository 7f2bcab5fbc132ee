package io.headroom.agent.driver.cgminer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headroom.simulator.cgminer.RequestFramer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

/**
 * A CGMiner-style RPC endpoint on loopback for driver tests: one request per connection, reply,
 * close. Each command is answered by a {@link Behaviour}; unknown commands get an "Invalid command"
 * error like the real API. Records every request it receives.
 */
final class FakeCgminerServer implements AutoCloseable {

    /** What the server does with one request. */
    sealed interface Behaviour permits Reply, Hang, Drop {}

    /** Sends these bytes, then closes (unless {@code keepOpen}, which mimics a NUL-terminated reply). */
    record Reply(byte[] bytes, boolean keepOpen) implements Behaviour {
        static Reply of(String text) {
            return new Reply(text.getBytes(StandardCharsets.UTF_8), false);
        }
    }

    /** Accepts and never answers, until the server closes. */
    record Hang() implements Behaviour {}

    /** Closes the connection without a byte. */
    record Drop() implements Behaviour {}

    /** One received request. */
    record Request(String command, String parameter) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServerSocket server;
    private final Thread acceptor;
    private final Map<String, Function<Request, Behaviour>> handlers = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);

    FakeCgminerServer() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::acceptLoop, "fake-cgminer-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Serves every file {@code <command>.json} of a golden-case folder as the reply to that command. */
    FakeCgminerServer replaying(Path caseDir) throws IOException {
        try (var files = Files.list(caseDir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                if (name.endsWith(".json") && !name.equals("expected-readings.json")) {
                    byte[] bytes = Files.readAllBytes(file);
                    on(name.substring(0, name.length() - 5), r -> new Reply(bytes, false));
                }
            }
        }
        return this;
    }

    FakeCgminerServer on(String command, Function<Request, Behaviour> handler) {
        handlers.put(command, handler);
        return this;
    }

    FakeCgminerServer onAny(Function<Request, Behaviour> handler) {
        handlers.put("*", handler);
        return this;
    }

    int port() {
        return server.getLocalPort();
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    long count(String command) {
        return requests.stream().filter(r -> r.command().equals(command)).count();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                open.add(socket);
                Thread worker = new Thread(() -> serve(socket), "fake-cgminer-conn");
                worker.setDaemon(true);
                worker.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            Request request = readRequest(socket.getInputStream());
            if (request == null) {
                return;
            }
            requests.add(request);
            Function<Request, Behaviour> handler = handlers.getOrDefault(request.command(), handlers.get("*"));
            Behaviour behaviour = handler != null
                    ? handler.apply(request)
                    : Reply.of(
                            "{\"STATUS\":[{\"STATUS\":\"E\",\"When\":0,\"Code\":14,\"Msg\":\"Invalid command\",\"Description\":\"fake\"}],\"id\":1}");
            if (behaviour instanceof Hang) {
                closing.await();
            } else if (behaviour instanceof Reply) {
                Reply reply = (Reply) behaviour;
                socket.getOutputStream().write(reply.bytes());
                socket.getOutputStream().flush();
                if (reply.keepOpen()) {
                    closing.await();
                }
            }
        } catch (IOException e) {
            // client went away
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            open.remove(socket);
        }
    }

    /** Reads one JSON request object, framed as the simulator frames it; null for anything else. */
    private static Request readRequest(InputStream in) throws IOException {
        byte[] buffer = new byte[RequestFramer.MAX_REQUEST_BYTES];
        int read = 0;
        int length;
        while ((length = RequestFramer.completeLength(buffer, read, false)) < 0) {
            int n = in.read(buffer, read, buffer.length - read);
            if (n < 0) {
                length = RequestFramer.completeLength(buffer, read, true);
                break;
            }
            read += n;
        }
        String text = new String(buffer, 0, Math.max(0, length), StandardCharsets.UTF_8).strip();
        if (!text.startsWith("{")) {
            return null;
        }
        JsonNode node = JSON.readTree(text);
        return new Request(
                node.path("command").asText(),
                node.has("parameter") ? node.get("parameter").asText() : null);
    }

    /** A port on which nothing listens (bound and released), for connection-refused tests. */
    static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException {
        closing.countDown();
        server.close();
        for (Socket socket : open) {
            socket.close();
        }
    }
}
