/** The demo web app at /demo/, served in the local profile only. */
@NullMarked
package dev.editflow.gateway.demo;

import org.jspecify.annotations.NullMarked;
