package io.headroom.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Builds a {@link ConfigNode} tree from Jackson's YAML token stream, so every node keeps its line.
 *
 * <p>Jackson's data binding would stop at the first problem and forget lines; the token stream gives
 * both the lines and the chance to go on. What the stream does not say, the source text does: whether
 * a scalar was quoted, and an anchor on a scalar (Jackson 2.20 reports anchors on collections only).
 * Jackson counts offsets in code points, so they are mapped to {@code String} indexes first.
 */
final class YamlTreeReader {

    /** Deeper than any config needs, well short of a stack overflow. */
    static final int MAX_DEPTH = 100;

    /**
     * The largest document read, in code points. SnakeYAML's default (3 MiB) is below a site.yaml of
     * 100,000 devices (about 7 MiB); 64 MiB still bounds what a wrong file can cost.
     */
    static final int MAX_CODE_POINTS = 64 * 1024 * 1024;

    private static final YAMLFactory FACTORY =
            new YAMLFactory().rebuild().loaderOptions(loaderOptions()).build();

    private static org.yaml.snakeyaml.LoaderOptions loaderOptions() {
        org.yaml.snakeyaml.LoaderOptions options = new org.yaml.snakeyaml.LoaderOptions();
        options.setCodePointLimit(MAX_CODE_POINTS);
        return options;
    }

    private final String file;
    private final String yaml;
    private final int @Nullable [] charIndexOfCodePoint;
    private final YAMLParser parser;
    private final Problems problems;

    private YamlTreeReader(String file, String yaml, YAMLParser parser, Problems problems) {
        this.file = file;
        this.yaml = yaml;
        boolean bmpOnly = yaml.length() == yaml.codePointCount(0, yaml.length());
        this.charIndexOfCodePoint = bmpOnly ? null : codePointIndex(yaml);
        this.parser = parser;
        this.problems = problems;
    }

    static ConfigNode read(String file, String yaml) throws ConfigException {
        String text = yaml.startsWith("\uFEFF") ? yaml.substring(1) : yaml;
        Problems problems = new Problems();
        ConfigNode root = null;
        try (YAMLParser parser = FACTORY.createParser(text)) {
            root = new YamlTreeReader(file, text, parser, problems).document();
        } catch (TooDeep e) {
            // reported where it was found; the rest of the file is not read
        } catch (JsonProcessingException e) {
            problems.add(syntaxProblem(file, e));
        } catch (YAMLException e) {
            problems.add(new ConfigProblem(file, 0, "", "not valid YAML: " + firstLine(e.getMessage())));
        } catch (IOException e) {
            problems.add(new ConfigProblem(file, 0, "", "cannot be read: " + e));
        }
        if (root == null || isNull(root)) {
            if (problems.isEmpty()) {
                problems.add(new ConfigProblem(file, 0, "", "the file is empty"));
            }
            throw new ConfigException(problems.list());
        }
        problems.throwIfAny();
        return root;
    }

    /** The document's root node; null for a stream with no document at all. */
    private @Nullable ConfigNode document() throws IOException {
        if (parser.nextToken() == null) {
            return null;
        }
        ConfigNode root = node(new ConfigNode.Origin(file, line(), ""), 0);
        if (parser.nextToken() != null) {
            problems.add(
                    new ConfigNode.Origin(file, line(), ""),
                    "a second document starts here; a config file holds one document (remove the ---)");
        }
        return root;
    }

    private ConfigNode node(ConfigNode.Origin origin, int depth) throws IOException {
        JsonToken token = parser.currentToken();
        checkProperties(origin);
        if (depth >= MAX_DEPTH && (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY)) {
            problems.add(origin, "nested more than " + MAX_DEPTH + " levels deep");
            throw new TooDeep();
        }
        if (token == JsonToken.START_OBJECT) {
            return mapping(origin, depth);
        }
        if (token == JsonToken.START_ARRAY) {
            List<ConfigNode> items = new ArrayList<>();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                items.add(node(origin.index(items.size(), line()), depth + 1));
            }
            return new ConfigNode.Sequence(items, origin);
        }
        if (token == JsonToken.VALUE_NULL) {
            return new ConfigNode.Scalar(null, false, origin);
        }
        return new ConfigNode.Scalar(parser.getText(), token == JsonToken.VALUE_STRING && quoted(), origin);
    }

    private ConfigNode mapping(ConfigNode.Origin origin, int depth) throws IOException {
        Map<String, ConfigNode.Entry> entries = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            ConfigNode.Origin keyOrigin = origin.key(key, line());
            checkKeyProperties(keyOrigin);
            parser.nextToken();
            ConfigNode value = node(origin.key(key, line()), depth + 1);
            ConfigNode.Entry first = entries.get(key);
            if (first == null) {
                entries.put(key, new ConfigNode.Entry(key, keyOrigin, value));
            } else {
                problems.add(
                        keyOrigin,
                        "duplicate key; first at line " + first.keyOrigin().line());
            }
        }
        return new ConfigNode.Mapping(entries, origin);
    }

    /** Refuses anchors, aliases and tags on a value: each makes a file mean more than it says. */
    private void checkProperties(ConfigNode.Origin origin) throws IOException {
        if (parser.isCurrentAlias()) {
            problems.add(origin, "aliases (*" + parser.getText() + ") are not accepted; write the value out in full");
            return;
        }
        String tag = parser.getTypeId();
        if (tag != null) {
            problems.add(origin, "tags (" + shortTag(tag) + ") are not accepted; write the value plainly");
        }
        JsonToken token = parser.currentToken();
        boolean collection = token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY;
        // a collection's start may be its first key's anchor, so only scalars are looked up in the source
        String anchor = collection ? parser.getObjectId() : anchorInSource();
        if (anchor != null) {
            problems.add(origin, "anchors (&" + anchor + ") are not accepted; write each value out in full");
        }
    }

    /** Keys rarely carry properties, but {@code &k key:} and {@code *k :} are legal YAML. */
    private void checkKeyProperties(ConfigNode.Origin keyOrigin) {
        int at = charIndex(parser.currentTokenLocation());
        if (at < 0 || at >= yaml.length()) {
            return;
        }
        char c = yaml.charAt(at);
        if (c == '&' || c == '*' || c == '!') {
            String word = wordAt(at);
            String what = c == '&' ? "anchors" : c == '*' ? "aliases" : "tags";
            problems.add(keyOrigin, what + " (" + word + ") are not accepted on keys; write the key plainly");
        }
    }

    private @Nullable String anchorInSource() {
        int at = charIndex(parser.currentTokenLocation());
        if (at < 0 || at >= yaml.length() || yaml.charAt(at) != '&') {
            return null;
        }
        return wordAt(at).substring(1);
    }

    private String wordAt(int at) {
        int end = at + 1;
        while (end < yaml.length()
                && !Character.isWhitespace(yaml.charAt(end))
                && ",[]{}".indexOf(yaml.charAt(end)) < 0) {
            end++;
        }
        return yaml.substring(at, end);
    }

    /** Whether the current string scalar was written quoted or as a block ({@code |}, {@code >}). */
    private boolean quoted() {
        int at = charIndex(parser.currentTokenLocation());
        return at >= 0 && at < yaml.length() && "\"'|>".indexOf(yaml.charAt(at)) >= 0;
    }

    private int charIndex(JsonLocation location) {
        long offset = location.getCharOffset();
        if (offset < 0) {
            return -1;
        }
        if (charIndexOfCodePoint == null) {
            return (int) offset;
        }
        return offset < charIndexOfCodePoint.length ? charIndexOfCodePoint[(int) offset] : yaml.length();
    }

    private int line() {
        return parser.currentTokenLocation().getLineNr();
    }

    private static ConfigProblem syntaxProblem(String file, JsonProcessingException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof MarkedYAMLException) {
                MarkedYAMLException marked = (MarkedYAMLException) cause;
                int line = marked.getProblemMark() == null
                        ? 0
                        : marked.getProblemMark().getLine() + 1;
                String problem = marked.getProblem().strip();
                if (!problem.contains("(TAB)")) {
                    // snakeyaml says this of any character that cannot start a token, where it misleads
                    problem = problem.replaceFirst("\\s*\\(Do not use .* for indentation\\)$", "");
                }
                StringBuilder message = new StringBuilder("not valid YAML: ").append(problem);
                if (marked.getContext() != null && marked.getContextMark() != null) {
                    message.append(" (")
                            .append(marked.getContext().strip())
                            .append(" at line ")
                            .append(marked.getContextMark().getLine() + 1)
                            .append(')');
                }
                return new ConfigProblem(file, line, "", message.toString());
            }
        }
        JsonLocation location = e.getLocation();
        int line = location == null ? 0 : Math.max(0, location.getLineNr());
        String message = firstLine(e.getOriginalMessage());
        if (message.startsWith("Expected a field name")) {
            message = message.contains("AliasEvent")
                    ? "aliases are not accepted as keys; write the key plainly"
                    : "a key must be a plain value, not a list or a mapping";
        }
        return new ConfigProblem(file, line, "", "not valid YAML: " + message);
    }

    private static String firstLine(@Nullable String message) {
        return message == null
                ? "syntax error"
                : message.lines().findFirst().orElse("syntax error").strip();
    }

    private static String shortTag(String tag) {
        String yamlTag = "tag:yaml.org,2002:";
        return tag.startsWith(yamlTag) ? "!!" + tag.substring(yamlTag.length()) : "!" + tag;
    }

    private static boolean isNull(ConfigNode node) {
        return node instanceof ConfigNode.Scalar && ((ConfigNode.Scalar) node).text() == null;
    }

    /** Stops reading a document nested absurdly deep, after reporting it. */
    private static final class TooDeep extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooDeep() {
            super(null, null, false, false);
        }
    }

    private static int[] codePointIndex(String text) {
        int[] index = new int[text.codePointCount(0, text.length()) + 1];
        int cp = 0;
        for (int i = 0; i < text.length(); i = text.offsetByCodePoints(i, 1)) {
            index[cp++] = i;
        }
        index[cp] = text.length();
        return index;
    }
}
