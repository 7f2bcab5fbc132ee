package io.headroom.agent;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's version as the build stamped it: {@code version.properties} next to this class is
 * the one resource Maven filters ({@code version=${project.version}}). The Birth carries it as
 * {@code agent_version}.
 */
public final class AgentVersion {
    /** Reported when the build left no usable version behind; never a guess. */
    public static final String UNKNOWN = "unknown";

    static final String RESOURCE = "version.properties";

    private static final Logger logger = LoggerFactory.getLogger(AgentVersion.class);
    private static final String VERSION = read(AgentVersion.class.getResourceAsStream(RESOURCE));

    private AgentVersion() {}

    /** The version, e.g. {@code 0.1.0-SNAPSHOT}, or {@link #UNKNOWN} (logged at warn once). */
    public static String current() {
        return VERSION;
    }

    /** Reads {@code version} from the resource; {@link #UNKNOWN} when it is missing or was not filtered. */
    static String read(InputStream resource) {
        if (resource == null) {
            logger.warn("{} is missing from the agent's classpath; reporting agent version '{}'", RESOURCE, UNKNOWN);
            return UNKNOWN;
        }
        Properties properties = new Properties();
        try (InputStream in = resource) {
            properties.load(in);
        } catch (IOException | IllegalArgumentException e) {
            logger.warn("{} cannot be read ({}); reporting agent version '{}'", RESOURCE, e.getMessage(), UNKNOWN);
            return UNKNOWN;
        }
        String version = properties.getProperty("version", "").strip();
        if (version.isEmpty() || version.contains("${")) {
            // Built without Maven's resource filtering (an IDE build): a placeholder is not a version.
            logger.warn("{} holds no built version ('{}'); reporting agent version '{}'", RESOURCE, version, UNKNOWN);
            return UNKNOWN;
        }
        return version;
    }
}
