/** Test support shared by the modules' tests; a test-scope dependency only, never shipped. */
package io.headroom.testkit;
