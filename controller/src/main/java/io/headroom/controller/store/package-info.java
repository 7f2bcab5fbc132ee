/** The live state of every device: descriptors, latest metric values and status, safe for concurrent readers. */
package io.headroom.controller.store;
