/**
 * A real HTTP server that imitates fal.ai's queue API for tests, local demos, chaos runs and
 * benchmarks.
 */
@org.jspecify.annotations.NullMarked
package dev.editflow.falsim;
