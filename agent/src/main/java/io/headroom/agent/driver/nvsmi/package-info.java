/** Reads and power-caps the GPUs of the agent's own host through the local {@code nvidia-smi -q -x}. */
package io.headroom.agent.driver.nvsmi;
