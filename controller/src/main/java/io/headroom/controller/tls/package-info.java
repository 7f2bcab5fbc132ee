/** TLS of the controller's two listeners, the MQTT endpoint and the HTTP API: one loader, one config style (D51). */
package io.headroom.controller.tls;
