package io.headroom.controller.api.auth;

import java.util.Optional;

/** Who a request is, or why it is nobody. */
public sealed interface AuthResult permits AuthResult.Authenticated, AuthResult.Refused {

    /**
     * @param principal who
     * @param session the session the request came with; empty for HTTP Basic
     */
    record Authenticated(Principal principal, Optional<Session> session) implements AuthResult {}

    record Refused(Refusal refusal) implements AuthResult {}
}
