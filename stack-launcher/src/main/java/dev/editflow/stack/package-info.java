/**
 * The one way to run editflow's services as processes, shared by the local stack, the system tests
 * and the benchmarks: {@link dev.editflow.stack.ServiceProcess} runs one jar, {@link
 * dev.editflow.stack.StackServices} wires the simulator, gateway, workers and archivers to the
 * {@link dev.editflow.stack.Infrastructure} it is given.
 */
@NullMarked
package dev.editflow.stack;

import org.jspecify.annotations.NullMarked;
