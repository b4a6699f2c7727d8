package dev.editflow.falsim;

/**
 * Published when {@code POST /_sim/reset} cleared jobs, media and counters and restored the
 * settings.
 */
public record SimulatorReset() {}
