/** Simulated fal models: input validation and result shapes, one class per model. */
@org.jspecify.annotations.NullMarked
package dev.editflow.falsim.model;
