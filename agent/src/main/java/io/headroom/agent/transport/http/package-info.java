/**
 * A small HTTP(S) client for device drivers over the JDK's {@link java.net.http.HttpClient}: one hard
 * deadline per request, bodies read with a size cap, TLS verified by default (optionally against a
 * PEM CA file), JSON with Jackson, and every failure as an {@link HttpTransportException} with a
 * reason code. Protocol-neutral: the Redfish driver uses it, miner HTTP APIs will.
 */
package io.headroom.agent.transport.http;
