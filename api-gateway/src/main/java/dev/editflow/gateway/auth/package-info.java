/** Who the caller is: JWT bearer tokens, and dev tokens in the local profile. */
@NullMarked
package dev.editflow.gateway.auth;

import org.jspecify.annotations.NullMarked;
