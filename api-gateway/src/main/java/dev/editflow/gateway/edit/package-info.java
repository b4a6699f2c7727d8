/** Edit jobs: create, read, list, cancel, and their status event streams. */
@NullMarked
package dev.editflow.gateway.edit;

import org.jspecify.annotations.NullMarked;
