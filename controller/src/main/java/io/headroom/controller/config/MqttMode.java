package io.headroom.controller.config;

/** Which MQTT transport the controller uses ({@code mqtt.mode}). */
public enum MqttMode {
    /** The controller is the MQTT endpoint agents connect to (the default). */
    EMBEDDED,
    /** The controller is a client of a broker (Mosquitto, EMQX, HiveMQ) that agents connect to. */
    EXTERNAL
}
