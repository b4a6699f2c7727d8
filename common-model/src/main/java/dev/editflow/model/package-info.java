/**
 * Wire contracts shared by all editflow services: messages, topology names, job states, error
 * codes, and the catalogue of fal models ({@link dev.editflow.model.FalModel}).
 */
@NullMarked
package dev.editflow.model;

import org.jspecify.annotations.NullMarked;
