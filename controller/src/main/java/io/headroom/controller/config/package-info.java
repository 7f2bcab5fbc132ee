/** The controller's YAML configuration: validated records and a loader that reports every problem at once. */
package io.headroom.controller.config;
