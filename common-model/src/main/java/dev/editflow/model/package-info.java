/**
 * Wire contracts shared by all editflow services: messages, topology names, job states, error
 * codes.
 */
@NullMarked
package dev.editflow.model;

import org.jspecify.annotations.NullMarked;
