/** Settings, error codes and problem details, metrics and OpenAPI. */
@NullMarked
package dev.editflow.gateway.system;

import org.jspecify.annotations.NullMarked;
