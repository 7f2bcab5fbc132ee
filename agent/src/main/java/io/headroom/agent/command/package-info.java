/** Commands from the controller: dedupe, expiry, version order, execution by read-back, results. */
package io.headroom.agent.command;
