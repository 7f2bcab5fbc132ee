package io.headroom.cli;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One page in a headless Chromium, driven over the DevTools protocol (a WebSocket, with the JDK's
 * own client) so a test can type into the page as a user would: sign in, click, and read the DOM
 * the scripts left. Each page runs in its own browser and profile, so no cookie leaks between tests.
 */
final class BrowserPage implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START = Duration.ofSeconds(30);

    private final Process process;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

    private BrowserPage(Process process, WebSocket socket) {
        this.process = process;
        this.socket = socket;
    }

    /** Starts Chromium on {@code url} and attaches to its page. */
    static BrowserPage open(Path binary, Path profiles, String url) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(profiles, "chromium-");
        Process process = new ProcessBuilder(
                        binary.toString(),
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-dev-shm-usage",
                        "--disable-quic",
                        "--no-first-run",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--disable-extensions",
                        "--remote-debugging-port=0",
                        "--remote-allow-origins=*",
                        "--user-data-dir=" + profile,
                        url)
                .redirectOutput(profile.resolve("stdout.log").toFile())
                .redirectError(profile.resolve("stderr.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        try {
            Path portFile = profile.resolve("DevToolsActivePort");
            await().atMost(START)
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> Files.exists(portFile)
                            && Files.readAllLines(portFile).size() >= 2);
            int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
            HttpClient http = HttpClient.newHttpClient();
            AtomicReference<String> pageSocket = new AtomicReference<>();
            await().atMost(START).pollInterval(Duration.ofMillis(100)).until(() -> {
                HttpResponse<String> list = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                for (JsonNode target : JSON.readTree(list.body())) {
                    if (target.path("type").asText().equals("page")) {
                        pageSocket.set(target.path("webSocketDebuggerUrl").asText());
                        return true;
                    }
                }
                return false;
            });
            BrowserPage[] self = new BrowserPage[1];
            WebSocket socket = http.newWebSocketBuilder()
                    .buildAsync(URI.create(pageSocket.get()), new Listener(self))
                    .get(30, TimeUnit.SECONDS);
            self[0] = new BrowserPage(process, socket);
            return self[0];
        } catch (Exception e) {
            stop(process);
            throw new IOException(
                    "Chromium did not come up for " + url + ": " + e + "; "
                            + Files.readString(profile.resolve("stderr.log"), StandardCharsets.UTF_8),
                    e);
        }
    }

    /** Evaluates {@code expression} in the page (awaiting a promise) and returns its value. */
    JsonNode evaluate(String expression) throws Exception {
        ObjectNode params = JSON.createObjectNode();
        params.put("expression", expression);
        params.put("awaitPromise", true);
        params.put("returnByValue", true);
        JsonNode reply = call("Runtime.evaluate", params);
        if (reply.has("exceptionDetails")) {
            throw new AssertionError("page script failed: " + reply.get("exceptionDetails"));
        }
        return reply.path("result").path("value");
    }

    /** Waits until {@code condition} (a JS expression) is true in the page. */
    void awaitTrue(String condition, Duration atMost) {
        await().atMost(atMost)
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptions()
                .until(() -> evaluate("!!(" + condition + ")").asBoolean());
    }

    /** Types {@code text} into the input with this id, as the user would (input events included). */
    void type(String id, String text) throws Exception {
        evaluate("(function(){var e=document.getElementById(" + JSON.writeValueAsString(id) + ");e.focus();e.value="
                + JSON.writeValueAsString(text)
                + ";e.dispatchEvent(new Event('input',{bubbles:true}));return true;})()");
    }

    /**
     * Presses and releases one key in the focused element, as the keyboard would (trusted key events):
     * {@code "ArrowDown"}, {@code "ArrowUp"}, {@code "PageDown"}, {@code "PageUp"}, {@code "Home"},
     * {@code "End"}, {@code "Enter"}, {@code " "} or {@code "Escape"}.
     */
    void press(String key) throws Exception {
        Map<String, Integer> codes = Map.of(
                "ArrowDown",
                40,
                "ArrowUp",
                38,
                "PageDown",
                34,
                "PageUp",
                33,
                "Home",
                36,
                "End",
                35,
                "Enter",
                13,
                " ",
                32,
                "Escape",
                27);
        Integer code = codes.get(key);
        if (code == null) {
            throw new IllegalArgumentException("press: no key code for '" + key + "'; known: " + codes.keySet());
        }
        for (String type : new String[] {"keyDown", "keyUp"}) {
            ObjectNode params = JSON.createObjectNode();
            params.put("type", type);
            params.put("key", key);
            params.put("code", key.equals(" ") ? "Space" : key);
            params.put("windowsVirtualKeyCode", code);
            if (type.equals("keyDown") && (key.equals(" ") || key.equals("Enter"))) {
                params.put("text", key.equals(" ") ? " " : "\r");
            }
            call("Input.dispatchKeyEvent", params);
        }
    }

    void click(String id) throws Exception {
        evaluate("document.getElementById(" + JSON.writeValueAsString(id) + ").click(), true");
    }

    /**
     * Chooses {@code file} in the file input with this id, as the user's file dialog would: the page
     * gets a real {@code File} and its {@code change} event.
     */
    void chooseFile(String id, Path file) throws Exception {
        ObjectNode find = JSON.createObjectNode();
        find.put("expression", "document.getElementById(" + JSON.writeValueAsString(id) + ")");
        String objectId =
                call("Runtime.evaluate", find).path("result").path("objectId").asText();
        ObjectNode params = JSON.createObjectNode();
        params.putArray("files").add(file.toAbsolutePath().toString());
        params.put("objectId", objectId);
        call("DOM.setFileInputFiles", params);
    }

    /** Saves what the page shows now as a PNG, e.g. under target/ for a person to look at. */
    void screenshot(Path file) throws Exception {
        ObjectNode params = JSON.createObjectNode();
        params.put("format", "png");
        params.put("captureBeyondViewport", true);
        String data = call("Page.captureScreenshot", params).path("data").asText();
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, java.util.Base64.getDecoder().decode(data));
    }

    /** Makes the window {@code width} × {@code height} CSS pixels, e.g. so a screenshot shows a wide table whole. */
    void resize(int width, int height) throws Exception {
        ObjectNode params = JSON.createObjectNode();
        params.put("width", width);
        params.put("height", height);
        params.put("deviceScaleFactor", 1);
        params.put("mobile", false);
        call("Emulation.setDeviceMetricsOverride", params);
    }

    /** Saves only the element with this id (its box on the page) as a PNG. */
    void screenshot(Path file, String id) throws Exception {
        JsonNode box = evaluate("(function () { var r = document.getElementById(" + JSON.writeValueAsString(id)
                + ").getBoundingClientRect(); return { x: r.left + window.scrollX, y: r.top + window.scrollY,"
                + " width: r.width, height: r.height }; })()");
        ObjectNode params = JSON.createObjectNode();
        params.put("format", "png");
        params.put("captureBeyondViewport", true);
        ObjectNode clip = params.putObject("clip");
        clip.put("x", box.path("x").asDouble());
        clip.put("y", box.path("y").asDouble());
        clip.put("width", box.path("width").asDouble());
        clip.put("height", box.path("height").asDouble());
        clip.put("scale", 1);
        String data = call("Page.captureScreenshot", params).path("data").asText();
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, java.util.Base64.getDecoder().decode(data));
    }

    /**
     * Saves the element with this id as {@code target/screenshots/<name>}: issue 11 keeps one screenshot
     * of each view there (listed in docs/ui.md), each from a browser test that opens the view anyway.
     */
    Path saveView(String name, String id) throws Exception {
        Path file = Path.of("target", "screenshots", name);
        // A window as tall as the section, so that the whole of it is laid out and painted (a clip beyond the
        // default 800 × 600 viewport comes back partly blank); the test's own window is put back afterwards.
        int height = evaluate("Math.ceil(document.getElementById(" + JSON.writeValueAsString(id)
                        + ").getBoundingClientRect().height)")
                .asInt();
        resize(1600, Math.max(800, Math.min(height + 40, 4000)));
        evaluate("document.getElementById(" + JSON.writeValueAsString(id) + ").scrollIntoView(), true");
        try {
            screenshot(file, id);
        } finally {
            call("Emulation.clearDeviceMetricsOverride", JSON.createObjectNode());
        }
        if (Files.size(file) == 0) {
            throw new AssertionError("the screenshot " + file + " is empty");
        }
        return file;
    }

    /** The page's DOM as its scripts left it. */
    String dom() throws Exception {
        return evaluate("document.documentElement.outerHTML").asText();
    }

    void navigate(String url) throws Exception {
        ObjectNode params = JSON.createObjectNode();
        params.put("url", url);
        call("Page.navigate", params);
    }

    private JsonNode call(String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        ObjectNode message = JSON.createObjectNode();
        message.put("id", id);
        message.put("method", method);
        message.set("params", params);
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        socket.sendText(JSON.writeValueAsString(message), true).get(10, TimeUnit.SECONDS);
        JsonNode answer = reply.get(30, TimeUnit.SECONDS);
        if (answer.has("error")) {
            throw new AssertionError(method + " failed: " + answer.get("error"));
        }
        return answer.path("result");
    }

    @Override
    public void close() {
        socket.abort();
        stop(process);
    }

    /**
     * Kills Chromium and every process it started, and waits until they are gone: its renderer and
     * utility processes outlive a killed parent for a moment and keep writing into the profile, which
     * the test's temporary directory then fails to delete. The tree is listed before the parent dies:
     * after, its children belong to init and are no longer its descendants.
     */
    private static void stop(Process process) {
        List<ProcessHandle> tree = process.descendants().toList();
        process.destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly);
        try {
            process.waitFor(10, TimeUnit.SECONDS);
            for (ProcessHandle child : tree) {
                child.onExit().get(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("a Chromium process did not exit within 10 s", e);
        }
    }

    /** Collects text frames into messages and completes the call each answers. */
    private static final class Listener implements WebSocket.Listener {
        private final BrowserPage[] page;
        private final StringBuilder partial = new StringBuilder();

        Listener(BrowserPage[] page) {
            this.page = page;
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    JsonNode message = JSON.readTree(text);
                    if (message.has("id") && page[0] != null) {
                        CompletableFuture<JsonNode> reply =
                                page[0].pending.remove(message.get("id").asInt());
                        if (reply != null) {
                            reply.complete(message);
                        }
                    }
                } catch (IOException e) {
                    // not a protocol message; ignore
                }
            }
            socket.request(1);
            return null;
        }
    }
}
