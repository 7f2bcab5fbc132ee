/** Issuing commands to devices through their agents and tracking each one to its final result or expiry. */
package io.headroom.controller.command;
