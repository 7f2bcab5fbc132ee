/** The controller process: wires config, the MQTT transport, ingest, the state store, commands and the HTTP API. */
package io.headroom.controller;
