/**
 * The simulated queue: submit, status, status stream, result and cancel, with concurrency-limited
 * dispatch.
 */
@org.jspecify.annotations.NullMarked
package dev.editflow.falsim.queue;
