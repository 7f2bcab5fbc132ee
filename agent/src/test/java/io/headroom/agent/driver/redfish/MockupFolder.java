package io.headroom.agent.driver.redfish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headroom.agent.transport.http.HttpReply;
import io.headroom.agent.transport.http.HttpTransportException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Redfish resources answered from a mockup folder laid out as DMTF's mockups are
 * ({@code redfish/v1/Chassis/1U/Power/index.json}): a path without a file is a 404, a file that is
 * not JSON is garbage, as over HTTP.
 */
final class MockupFolder implements RedfishResources {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path root;

    MockupFolder(Path root) {
        this.root = root;
    }

    @Override
    public JsonNode get(String path) throws RedfishFault {
        Path file = root.resolve(path.substring(1)).resolve("index.json").normalize();
        if (!file.startsWith(root) || !Files.isRegularFile(file)) {
            throw new RedfishFault(HttpTransportException.status(404, "GET " + path + ": HTTP 404", ""));
        }
        try {
            byte[] body = Files.readAllBytes(file);
            return new HttpReply(
                            URI.create("https://mockup" + path), 200, HttpHeaders.of(Map.of(), (a, b) -> true), body)
                    .json();
        } catch (HttpTransportException e) {
            throw new RedfishFault(e);
        } catch (IOException e) {
            throw new RedfishFault(RedfishFault.BAD_RESPONSE, "cannot read " + file + ": " + e);
        }
    }

    /** A resource as the folder has it, for tests that edit a copy. */
    static JsonNode read(Path file) throws IOException {
        return JSON.readTree(file.toFile());
    }
}
