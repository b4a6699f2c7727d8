/**
 * Per-endpoint request counting, fault injection and API-key checks in front of every simulated
 * endpoint.
 */
@org.jspecify.annotations.NullMarked
package dev.editflow.falsim.traffic;
