package io.headroom.simulator.cgminer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Objects;

/**
 * One parsed API request: {@code {"command":"c","parameter":"p"}} or plain text {@code c|p}.
 *
 * @param command   command name, possibly {@code a+b} for a multi-report request
 * @param parameter parameter text, empty when none
 */
public record RpcRequest(String command, String parameter) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public RpcRequest {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(parameter, "parameter");
    }

    /**
     * Parses a request text.
     *
     * @throws InvalidRequestException with the cgminer status code and message to answer with
     */
    public static RpcRequest parse(String text) throws InvalidRequestException {
        String trimmed = text.strip();
        if (trimmed.startsWith("{")) {
            return parseJson(trimmed);
        }
        int nul = trimmed.indexOf('\0');
        if (nul >= 0) {
            trimmed = trimmed.substring(0, nul).strip();
        }
        int bar = trimmed.indexOf('|');
        String command = bar < 0 ? trimmed : trimmed.substring(0, bar);
        String parameter = bar < 0 ? "" : trimmed.substring(bar + 1);
        return new RpcRequest(command.strip(), parameter);
    }

    private static RpcRequest parseJson(String text) throws InvalidRequestException {
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException(InvalidRequestException.INVALID_JSON, "Invalid JSON");
        }
        if (root == null || !root.isObject()) {
            throw new InvalidRequestException(InvalidRequestException.INVALID_JSON, "Invalid JSON");
        }
        JsonNode command = root.get("command");
        if (command == null || !command.isTextual()) {
            throw new InvalidRequestException(InvalidRequestException.MISSING_COMMAND, "Missing JSON 'command'");
        }
        JsonNode parameter = root.get("parameter");
        String param = parameter == null || parameter.isNull() ? "" : parameter.asText();
        return new RpcRequest(command.asText().strip(), param);
    }

    /** A request that cannot be understood; carries the cgminer status code to answer with. */
    public static final class InvalidRequestException extends Exception {
        private static final long serialVersionUID = 1L;
        /** cgminer {@code MSG_INVJSON}. */
        public static final int INVALID_JSON = 23;
        /** cgminer {@code MSG_MISCMD}. */
        public static final int MISSING_COMMAND = 24;

        private final int code;

        public InvalidRequestException(int code, String message) {
            super(message);
            this.code = code;
        }

        public int code() {
            return code;
        }
    }
}
