/** Logging that an attacker or a broken peer cannot turn into a flood: lines limited per key and interval. */
package io.headroom.controller.log;
