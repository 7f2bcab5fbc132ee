package io.headroom.controller.api.auth;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What stops a foreign web page from writing through an operator's browser (CSRF) and a
 * rebound host name from reaching the API (DNS rebinding), checked on every write before anyone
 * is authenticated:
 *
 * <ul>
 *   <li>the body must be declared {@code application/json}: a page can send {@code text/plain},
 *       form and multipart bodies cross-origin without asking, but not JSON (that needs a CORS
 *       preflight, which this server never grants);
 *   <li>the {@code Host} header must name an allowed host: the configured ones plus
 *       {@code localhost}, {@code 127.0.0.1}, {@code ::1} and the listen address;
 *   <li>an {@code Origin} header, when present, must be this server's own origin
 *       ({@code http(s)://} + the Host header) or one configured in {@code http.allowed-origins}.
 * </ul>
 *
 * Pure and thread-safe.
 */
public final class WriteGuard {
    /** Body type not JSON: 415. */
    public static final String UNSUPPORTED_MEDIA_TYPE = "unsupported-media-type";
    /** Host header missing or not allowed: 403. */
    public static final String HOST_NOT_ALLOWED = "host-not-allowed";
    /** Origin header from another site: 403. */
    public static final String FOREIGN_ORIGIN = "foreign-origin";

    private static final Set<String> WILDCARDS = Set.of("0.0.0.0", "::", "[::]", "*");

    private final Set<String> allowedHosts;
    private final Set<String> allowedOrigins;

    /**
     * @param bindHost the listen address; allowed as a host name unless it is a wildcard
     * @param extraHosts names clients reach the server by (a DNS name, a LAN address)
     * @param extraOrigins origins other than the server's own that may write, e.g. a reverse
     *     proxy's {@code https://headroom.example}
     */
    public WriteGuard(String bindHost, List<String> extraHosts, List<String> extraOrigins) {
        Set<String> hosts = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "::1"));
        String bind = stripBrackets(bindHost.toLowerCase(Locale.ROOT));
        if (!WILDCARDS.contains(bindHost) && !WILDCARDS.contains(bind)) {
            hosts.add(bind);
        }
        for (String host : extraHosts) {
            hosts.add(stripBrackets(host.toLowerCase(Locale.ROOT)));
        }
        this.allowedHosts = Set.copyOf(hosts);
        List<String> origins = new ArrayList<>();
        for (String origin : extraOrigins) {
            origins.add(normaliseOrigin(origin)
                    .orElseThrow(() -> new IllegalArgumentException("allowed-origins: '" + origin
                            + "' is not an origin like https://headroom.example or http://10.0.0.5:8080")));
        }
        this.allowedOrigins = Set.copyOf(origins);
    }

    /** Host names this guard accepts, for the log and docs. */
    public Set<String> allowedHosts() {
        return allowedHosts;
    }

    /**
     * Why a write must be refused, or empty when it may go on to authentication.
     *
     * @param contentType the Content-Type header, or null
     * @param host the Host header, or null
     * @param origin the Origin header, or null when the client sent none (curl, scripts)
     * @param tls whether the request came over TLS: the server's own origin is then https
     */
    public Optional<Refusal> check(String contentType, String host, String origin, boolean tls) {
        if (contentType == null || !mediaType(contentType).equals("application/json")) {
            return Optional.of(Refusal.of(
                    415,
                    UNSUPPORTED_MEDIA_TYPE,
                    "writes take Content-Type: application/json, not "
                            + (contentType == null ? "none" : "'" + contentType + "'")));
        }
        if (host == null || host.isBlank()) {
            return Optional.of(Refusal.of(403, HOST_NOT_ALLOWED, "a write needs a Host header"));
        }
        String name = hostName(host.trim().toLowerCase(Locale.ROOT));
        if (!allowedHosts.contains(name)) {
            return Optional.of(Refusal.of(
                    403,
                    HOST_NOT_ALLOWED,
                    "Host '" + host + "' is not an allowed name of this server; add it to http.allowed-hosts"));
        }
        if (origin != null) {
            Optional<String> normalised = normaliseOrigin(origin);
            String own = (tls ? "https://" : "http://") + host.trim().toLowerCase(Locale.ROOT);
            boolean same = normalised.isPresent()
                    && normalised.get().equals(normaliseOrigin(own).orElse(""));
            if (!same && (normalised.isEmpty() || !allowedOrigins.contains(normalised.get()))) {
                return Optional.of(Refusal.of(
                        403,
                        FOREIGN_ORIGIN,
                        "Origin '" + origin + "' is not this server (" + own
                                + ") nor in http.allowed-origins: cross-site writes are refused"));
            }
        }
        return Optional.empty();
    }

    private static String mediaType(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
                .trim()
                .toLowerCase(Locale.ROOT);
    }

    /** {@code example.org:8080} → {@code example.org}; {@code [::1]:8080} → {@code ::1}. */
    static String hostName(String host) {
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            return close < 0 ? host : host.substring(1, close);
        }
        int colon = host.indexOf(':');
        return colon >= 0 && colon == host.lastIndexOf(':') ? host.substring(0, colon) : host;
    }

    private static String stripBrackets(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** scheme://host[:port] in lower case with the default port left out; empty when not an origin. */
    static Optional<String> normaliseOrigin(String origin) {
        try {
            URI uri = new URI(origin.trim());
            String scheme = uri.getScheme();
            if (scheme == null
                    || uri.getHost() == null
                    || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
                return Optional.empty();
            }
            if ((uri.getRawPath() != null
                            && !uri.getRawPath().isEmpty()
                            && !uri.getRawPath().equals("/"))
                    || uri.getRawQuery() != null
                    || uri.getUserInfo() != null) {
                return Optional.empty();
            }
            String lower = scheme.toLowerCase(Locale.ROOT);
            int port = uri.getPort();
            boolean defaultPort =
                    port == -1 || (lower.equals("http") && port == 80) || (lower.equals("https") && port == 443);
            return Optional.of(
                    lower + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }
}
