/**
 * Messages exchanged over the broker, named as facts, with their type/version headers and the
 * broker topology names. Fields are only ever added, never renamed or repurposed.
 */
@NullMarked
package dev.editflow.model.message;

import org.jspecify.annotations.NullMarked;
