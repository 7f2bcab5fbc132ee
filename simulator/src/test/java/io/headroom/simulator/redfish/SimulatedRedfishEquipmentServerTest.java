package io.headroom.simulator.redfish;

import static io.headroom.simulator.redfish.RedfishTestClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.simulator.gpu.SimulatedRedfishServer;
import io.headroom.simulator.time.ManualClock;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The simulated Redfish PDU and CDU over real HTTPS on loopback, used as a hostile client would: no or
 * a forged session, garbage and oversize bodies, a slow client, an unknown outlet, a write to the
 * read-only CDU.
 */
@Timeout(60)
class SimulatedRedfishEquipmentServerTest {

    private static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");
    private static final String OUTLETS = SimulatedRedfishPdu.BASE + "/Outlets";
    private static final String USER = "admin";
    private static final String PASSWORD = "pdu-Pa55";

    private final ManualClock clock = new ManualClock(T0);
    private final SimulatedRedfishPdu pdu = SimulatedRedfishPdu.eightOutlets(400, Duration.ZERO, T0);
    private final SimulatedRedfishCdu cdu = new SimulatedRedfishCdu(30, 25, T0);
    private SimulatedRedfishServer pduServer;
    private SimulatedRedfishServer cduServer;
    private RedfishTestClient pduClient;
    private RedfishTestClient cduClient;

    @BeforeEach
    void start() throws Exception {
        pduServer = SimulatedRedfishServer.start(pdu, clock, USER, PASSWORD);
        cduServer = SimulatedRedfishServer.start(cdu, clock, USER, PASSWORD);
        pduClient = new RedfishTestClient(pduServer);
        cduClient = new RedfishTestClient(cduServer);
    }

    @AfterEach
    void stop() {
        pduServer.close();
        cduServer.close();
    }

    @Test
    void powerControl_switchesTheOutlet_onlyWithAValidSession() throws Exception {
        String action = OUTLETS + "/A2/Outlet.PowerControl";
        HttpResponse<String> none = pduClient.send(HttpRequest.newBuilder(pduClient.uri(action))
                .POST(HttpRequest.BodyPublishers.ofString("{\"PowerState\":\"Off\"}")));
        HttpResponse<String> forged = pduClient.post(action, "forged-token", "{\"PowerState\":\"Off\"}");
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(pdu.isOn("A2")).isTrue();

        String token = pduClient.token(USER, PASSWORD);
        HttpResponse<String> off = pduClient.post(action, token, "{\"PowerState\":\"Off\"}");
        HttpResponse<String> outlet = pduClient.get(OUTLETS + "/A2", token);

        assertThat(off.statusCode()).isEqualTo(204);
        assertThat(pdu.isOn("A2")).isFalse();
        assertThat(json(outlet).path("PowerState").asText()).isEqualTo("Off");
        assertThat(json(outlet).path("PowerWatts").path("Reading").asDouble()).isZero();
        assertThat(pduServer.posts())
                .as("refused at the door, never at the PDU")
                .isEqualTo(1);
    }

    @Test
    void unknownOutlet_garbageAndWrongValues_areRedfishErrors_andNothingSwitches() throws Exception {
        String token = pduClient.token(USER, PASSWORD);

        HttpResponse<String> unknown =
                pduClient.post(OUTLETS + "/Q7/Outlet.PowerControl", token, "{\"PowerState\":\"Off\"}");
        HttpResponse<String> garbage = pduClient.post(OUTLETS + "/A1/Outlet.PowerControl", token, "{PowerState: Off,,");
        HttpResponse<String> array = pduClient.post(OUTLETS + "/A1/Outlet.PowerControl", token, "[\"Off\"]");
        HttpResponse<String> wrong = pduClient.post(OUTLETS + "/A1/Outlet.PowerControl", token, "{\"PowerState\":7}");
        HttpResponse<String> missing = pduClient.get(OUTLETS + "/Q7", token);

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(json(garbage).path("error").path("code").asText()).isEqualTo("Base.1.8.MalformedJSON");
        assertThat(array.statusCode()).isEqualTo(400);
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(json(wrong).path("error").path("code").asText()).isEqualTo("Base.1.8.ActionParameterValueNotInList");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(pdu.outletIds().stream().allMatch(pdu::isOn)).isTrue();
    }

    @Test
    void oversizeBody_is413_andTheServerGoesOn() throws Exception {
        String token = pduClient.token(USER, PASSWORD);
        byte[] huge = new byte[SimulatedRedfishServer.MAX_REQUEST_BYTES * 4];
        Arrays.fill(huge, (byte) ' ');
        huge[0] = '{';
        huge[huge.length - 1] = '}';
        int status;
        try {
            status = pduClient
                    .send(HttpRequest.newBuilder(pduClient.uri(OUTLETS + "/A1/Outlet.PowerControl"))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(huge))
                            .header("X-Auth-Token", token))
                    .statusCode();
        } catch (IOException closedEarly) {
            status = 413; // the server may close before the client has sent it all
        }

        assertThat(status).isEqualTo(413);
        assertThat(pdu.isOn("A1")).isTrue();
        assertThat(pduClient.get(OUTLETS, token).statusCode()).isEqualTo(200);
    }

    @Test
    void slowClient_holdsOnlyItsOwnRequest() throws Exception {
        try (SSLSocket slow = (SSLSocket) pduClient
                .trusting
                .getSocketFactory()
                .createSocket(InetAddress.getLoopbackAddress(), pduServer.port())) {
            slow.startHandshake();
            OutputStream out = slow.getOutputStream();
            out.write(
                    ("POST " + OUTLETS + "/A1/Outlet.PowerControl HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n{")
                            .getBytes(StandardCharsets.US_ASCII));
            out.flush();

            String token = pduClient.token(USER, PASSWORD);
            HttpResponse<String> meanwhile = pduClient.get(OUTLETS + "/A1", token);

            assertThat(meanwhile.statusCode()).isEqualTo(200);
            assertThat(pdu.isOn("A1")).isTrue();
        }
    }

    @Test
    void cdu_answersReadsWithASession_andRefusesEveryWrite() throws Exception {
        String detectors = SimulatedRedfishCdu.BASE + "/LeakDetection/LeakDetectors/Moisture";
        assertThat(cduClient
                        .send(HttpRequest.newBuilder(cduClient.uri(detectors)))
                        .statusCode())
                .isEqualTo(401);

        String token = cduClient.token(USER, PASSWORD);
        cdu.setLeak("Moisture", true);
        HttpResponse<String> leak = cduClient.get(detectors, token);
        HttpResponse<String> write = cduClient.post(
                SimulatedRedfishCdu.BASE + "/Pumps/1/Actions/Pump.SetMode", token, "{\"Mode\":\"Disabled\"}");
        HttpResponse<String> garbage =
                cduClient.post(SimulatedRedfishCdu.BASE + "/Pumps/1/Actions/Pump.SetMode", token, "\u0000garbage");

        assertThat(json(leak).path("DetectorState").asText()).isEqualTo("Critical");
        assertThat(write.statusCode()).isEqualTo(405);
        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(json(cduClient.send(HttpRequest.newBuilder(cduClient.uri("/redfish/v1"))))
                        .path("Product")
                        .asText())
                .isEqualTo("Simulated Redfish CDU");
    }
}
