package io.headroom.protocol;

/**
 * The one place where Headroom topic strings are built and parsed.
 *
 * <p>Identifiers (site and agent ids) are 1 to 64 characters of {@code [A-Za-z0-9._-]}: that
 * excludes the MQTT wildcards {@code +} and {@code #}, the level separator {@code /}, and anything
 * that would need quoting in a file name or a URL. {@code controller} is reserved as an agent id.
 */
public final class Topics {
    /** The namespace root, including the protocol version. */
    public static final String ROOT = "headroom/v1";

    static final String PREFIX = ROOT + '/';
    static final String CONTROLLER_LEVEL = "controller";
    static final String STATE_LEVEL = "state";
    static final String GRID_LEVEL = "grid";
    static final String SIGNAL_LEVEL = "signal";
    static final String MARKET_LEVEL = "market";
    private static final int MAX_ID_LENGTH = 64;

    private Topics() {}

    public static Topic.AgentTopic agent(String site, String agent, TopicKind kind) {
        return new Topic.AgentTopic(site, agent, kind);
    }

    public static Topic.ControllerStateTopic controllerState(String site) {
        return new Topic.ControllerStateTopic(site);
    }

    /** {@code headroom/v1/<site>/grid/signal}. */
    public static Topic.GridSignalTopic gridSignal(String site) {
        return new Topic.GridSignalTopic(site);
    }

    /** {@code headroom/v1/<site>/market/<input>}, e.g. {@code headroom/v1/demo/market/energy-rt}. */
    public static Topic.MarketPriceTopic marketPrice(String site, String input) {
        return new Topic.MarketPriceTopic(site, input);
    }

    /** Filter matching every topic of one kind of every agent of a site, e.g. all data. */
    public static String allAgentsFilter(String site, TopicKind kind) {
        requireValidId(site, "site");
        return PREFIX + site + "/+/" + kind.wireName();
    }

    /**
     * Parses a topic string.
     *
     * @throws MalformedTopicException if it is not exactly a Headroom v1 agent, controller-state,
     *     grid-signal or market-price topic with valid ids
     */
    public static Topic parse(String topic) throws MalformedTopicException {
        if (topic == null || !topic.startsWith(PREFIX)) {
            throw new MalformedTopicException(String.valueOf(topic), "does not start with " + PREFIX);
        }
        int siteEnd = topic.indexOf('/', PREFIX.length());
        int agentEnd = siteEnd < 0 ? -1 : topic.indexOf('/', siteEnd + 1);
        if (agentEnd < 0 || topic.indexOf('/', agentEnd + 1) >= 0) {
            throw new MalformedTopicException(topic, "expected " + PREFIX + "<site>/<agent>/<kind>");
        }
        String site = topic.substring(PREFIX.length(), siteEnd);
        String agent = topic.substring(siteEnd + 1, agentEnd);
        String last = topic.substring(agentEnd + 1);
        String siteProblem = idProblem(site);
        if (siteProblem != null) {
            throw new MalformedTopicException(topic, "site " + siteProblem);
        }
        String agentProblem = idProblem(agent);
        if (agentProblem != null) {
            throw new MalformedTopicException(topic, "agent " + agentProblem);
        }
        if (CONTROLLER_LEVEL.equals(agent)) {
            if (STATE_LEVEL.equals(last)) {
                return new Topic.ControllerStateTopic(site);
            }
            throw new MalformedTopicException(topic, "unknown controller topic '" + last + "'");
        }
        if (GRID_LEVEL.equals(agent) && SIGNAL_LEVEL.equals(last)) {
            // No agent kind is called "signal", so an agent named "grid" keeps all of its own topics.
            return new Topic.GridSignalTopic(site);
        }
        TopicKind kind = TopicKind.fromWireName(last);
        if (kind == null && MARKET_LEVEL.equals(agent) && idProblem(last) == null) {
            // An agent named "market" keeps all of its own topics: no input is named like a kind.
            return new Topic.MarketPriceTopic(site, last);
        }
        if (kind == null) {
            throw new MalformedTopicException(topic, "unknown kind '" + last + "'");
        }
        return new Topic.AgentTopic(site, agent, kind);
    }

    /** True if {@code id} is a valid site or agent id. */
    public static boolean isValidId(String id) {
        return idProblem(id) == null;
    }

    /**
     * Returns {@code id} if valid.
     *
     * @throws IllegalArgumentException naming {@code field} and the problem
     */
    public static String requireValidId(String id, String field) {
        String problem = idProblem(id);
        if (problem != null) {
            throw new IllegalArgumentException(field + ": " + problem);
        }
        return id;
    }

    /** Describes what is wrong with an id, or returns {@code null} when it is valid. */
    public static String idProblem(String id) {
        if (id == null || id.isEmpty()) {
            return "must not be empty";
        }
        if (id.length() > MAX_ID_LENGTH) {
            return "must be at most " + MAX_ID_LENGTH + " characters";
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '.'
                    || c == '_'
                    || c == '-';
            if (!ok) {
                return "'" + id + "' contains '" + c + "'; allowed are letters, digits, '.', '_' and '-'";
            }
        }
        return null;
    }
}
