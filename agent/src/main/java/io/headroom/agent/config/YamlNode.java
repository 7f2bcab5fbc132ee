package io.headroom.agent.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document as a tree that remembers the line of every key and value, so that config
 * problems can say where they are. Built from Jackson's YAML token stream.
 */
sealed interface YamlNode permits YamlNode.Scalar, YamlNode.Mapping, YamlNode.Sequence {

    /** 1-based line where the node starts. */
    int line();

    /** Human name of the node's shape, for "expected a mapping, found …" messages. */
    String shape();

    /** A scalar; {@code text} is null for YAML null ({@code ~} or nothing). */
    record Scalar(String text, JsonToken token, int line) implements YamlNode {
        @Override
        public String shape() {
            return text == null ? "nothing" : "a value";
        }
    }

    /** One key of a mapping, with the line of the key itself. */
    record Entry(String key, int keyLine, YamlNode value) {}

    /** A mapping in document order. */
    record Mapping(Map<String, Entry> entries, int line) implements YamlNode {
        @Override
        public String shape() {
            return "a mapping";
        }
    }

    /** A sequence. */
    record Sequence(List<YamlNode> items, int line) implements YamlNode {
        @Override
        public String shape() {
            return "a list";
        }
    }

    /** A syntax error with its line. */
    final class SyntaxException extends Exception {
        private static final long serialVersionUID = 1L;
        private final int line;

        SyntaxException(String message, int line) {
            super(message);
            this.line = line;
        }

        int line() {
            return line;
        }
    }

    /**
     * Parses the first document of {@code yaml}. Duplicate keys are reported to {@code problems}
     * (the later value wins only for the purpose of carrying on).
     *
     * @return the root, or {@code null} for an empty document
     */
    static YamlNode parse(String yaml, List<String> problems) throws SyntaxException {
        try (JsonParser parser = new YAMLFactory().createParser(yaml)) {
            if (parser.nextToken() == null) {
                return null;
            }
            return read(parser, "", problems);
        } catch (JsonProcessingException e) {
            JsonLocation location = e.getLocation();
            throw new SyntaxException(e.getOriginalMessage().lines().findFirst().orElse("syntax error"),
                    location == null ? 0 : location.getLineNr());
        } catch (IOException e) {
            throw new SyntaxException(e.toString(), 0);
        }
    }

    private static YamlNode read(JsonParser parser, String path, List<String> problems) throws IOException {
        int line = parser.currentTokenLocation().getLineNr();
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT: {
                Map<String, Entry> entries = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String key = parser.currentName();
                    int keyLine = parser.currentTokenLocation().getLineNr();
                    parser.nextToken();
                    String childPath = path.isEmpty() ? key : path + "." + key;
                    YamlNode value = read(parser, childPath, problems);
                    Entry previous = entries.put(key, new Entry(key, keyLine, value));
                    if (previous != null) {
                        problems.add(childPath + " (line " + keyLine + "): duplicate key (first at line "
                                + previous.keyLine() + ")");
                    }
                }
                return new Mapping(entries, line);
            }
            case START_ARRAY: {
                List<YamlNode> items = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    items.add(read(parser, path + "[" + items.size() + "]", problems));
                }
                return new Sequence(items, line);
            }
            case VALUE_NULL:
                return new Scalar(null, token, line);
            default:
                return new Scalar(parser.getText(), token, line);
        }
    }
}
