/** Who may use the HTTP API: users and roles, sessions, sign-in throttling, the write guard and the audit log. */
package io.headroom.controller.api.auth;
