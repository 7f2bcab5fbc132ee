/** The operator HTTP surface on Netty: JSON API, health, Prometheus metrics and the live web page. */
package io.headroom.controller.api;
