/** Publishing over MQTT 5 (Paho): births, batched data, acks, re-birth, resend after reconnect. */
package io.headroom.agent.publish;
