/**
 * Simulated fal models: input validation and result shapes, one class per input schema and one
 * instance per model of editflow's catalogue.
 */
@org.jspecify.annotations.NullMarked
package dev.editflow.falsim.model;
