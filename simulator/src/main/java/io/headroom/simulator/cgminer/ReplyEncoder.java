package io.headroom.simulator.cgminer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Serialises a reply, either as clean JSON or with the quirks real firmware emits and parsers must tolerate
 * (reference/DEVICES.md §4.1; pyasic {@code _load_api_data} repairs each of them): {@code ,} before every
 * closing brace, no comma between consecutive objects of an array ({@code }{}, as bmminer's {@code STATS}),
 * and a trailing NUL byte (cgminer sends its C string terminator).
 */
final class ReplyEncoder {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ReplyEncoder() {}

    static byte[] encode(JsonNode reply, boolean quirks) {
        if (!quirks) {
            try {
                return MAPPER.writeValueAsBytes(reply);
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
        StringBuilder out = new StringBuilder(4096);
        writeQuirky(reply, out);
        out.append('\0');
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void writeQuirky(JsonNode node, StringBuilder out) {
        if (node.isObject()) {
            out.append('{');
            boolean any = false;
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                out.append(quote(field.getKey())).append(':');
                writeQuirky(field.getValue(), out);
                out.append(',');
                any = true;
            }
            if (!any) {
                out.append(',');
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            JsonNode previous = null;
            for (JsonNode element : node) {
                if (previous != null && !(previous.isObject() && element.isObject())) {
                    out.append(',');
                }
                writeQuirky(element, out);
                previous = element;
            }
            out.append(']');
        } else {
            out.append(node.toString());
        }
    }

    private static String quote(String text) {
        try {
            return MAPPER.writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
