package io.headroom.controller.api;

import static io.headroom.controller.api.Responses.bytes;
import static io.headroom.controller.api.Responses.notAllowed;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * The web page's files, read from the jar once at start-up and served as they are (the page and
 * its scripts are public: it shows its sign-in form when the API answers 401), under a
 * Content-Security-Policy that allows nothing but this origin.
 */
final class WebPage {

    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'";
    private static final String JS = "text/javascript; charset=utf-8";

    private record StaticFile(byte[] bytes, String contentType) {
        StaticFile(String text, String contentType) {
            this(text.getBytes(StandardCharsets.UTF_8), contentType);
        }
    }

    private final Map<String, StaticFile> files;

    private WebPage(Map<String, StaticFile> files) {
        this.files = files;
    }

    /** The page with {@code site} in its title. */
    static WebPage load(String site) throws IOException {
        return new WebPage(Map.ofEntries(
                Map.entry(
                        "/",
                        new StaticFile(
                                resource("web/index.html").replace("{{site}}", escapeHtml(site)),
                                "text/html; charset=utf-8")),
                script("app.js"),
                script("grid-chart.js"),
                script("site.js"),
                script("alerts.js"),
                script("reservations.js"),
                script("market.js"),
                script("backtest.js"),
                script("device-stream.js"),
                script("device-chart.js"),
                script("device.js"),
                script("release.js"),
                script("rawreply.js"),
                script("grid.js"),
                script("rows.js"),
                script("table.js"),
                script("views.js"),
                script("command-dialog.js"),
                script("actions.js"),
                script("device-actions.js"),
                Map.entry(
                        "/static/app.css", new StaticFile(resource("web/static/app.css"), "text/css; charset=utf-8"))));
    }

    private static Map.Entry<String, StaticFile> script(String name) throws IOException {
        return Map.entry("/static/" + name, new StaticFile(resource("web/static/" + name), JS));
    }

    /** The answer when {@code path} is one of the page's files, else empty. */
    Optional<FullHttpResponse> serve(String path, HttpMethod method) {
        StaticFile file = files.get(path.equals("/index.html") ? "/" : path);
        if (file == null) {
            return Optional.empty();
        }
        if (!method.equals(HttpMethod.GET)) {
            return Optional.of(notAllowed("GET"));
        }
        FullHttpResponse response = bytes(HttpResponseStatus.OK, file.bytes(), file.contentType());
        response.headers().set("Content-Security-Policy", CSP);
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        return Optional.of(response);
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = WebPage.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("resource " + name + " missing from the controller jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static String escapeHtml(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
