/** The {@code headroom} command line: demo, controller, agent, tail, hash-password. */
package io.headroom.cli;
