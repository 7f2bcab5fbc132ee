package io.headroom.agent.rawreply;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactionTest {

    @Test
    void jsonMembersNamedForSecrets_loseTheirValues() {
        String redacted = Redaction.redact(
                "{\"token\": \"abc.def\", \"Password\":\"hunter2\", \"SessionID\":\"7f3a\", \"api_key\":\"k\","
                        + " \"access_token\":\"x\\\"y\", \"Msg\":\"ok\"}");

        assertThat(redacted)
                .doesNotContain("abc.def", "hunter2", "7f3a", "x\\\"y")
                .contains("\"token\": \"«redacted»\"", "\"Password\":\"«redacted»\"", "\"Msg\":\"ok\"");
    }

    @Test
    void bareValuesOfSecretMembers_areRedacted_butNullAndBooleansStay() {
        assertThat(Redaction.redact("{\"session\": 123456, \"auth\": true, \"secret\": null}"))
                .isEqualTo("{\"session\": \"«redacted»\", \"auth\": true, \"secret\": null}");
    }

    @Test
    void formFieldsAndHeaders_areRedacted() {
        assertThat(Redaction.redact("username=root&password=root&x=1"))
                .isEqualTo("username=root&password=«redacted»&x=1");
        assertThat(Redaction.redact("Authorization: Basic cm9vdDpyb290\nContent-Type: text/html"))
                .isEqualTo("Authorization: «redacted»\nContent-Type: text/html");
    }

    @Test
    void textWithoutSecrets_isUnchanged() {
        String reply =
                "{\"STATUS\":[{\"STATUS\":\"S\",\"Msg\":\"Summary\"}],\"SUMMARY\":[{\"MHS 5s\":1.4E8}],\"id\":1}";
        assertThat(Redaction.redact(reply)).isEqualTo(reply);
    }
}
