/**
 * The benchmark suite: the real service jars as processes, driven at fixed rates, each figure
 * reported beside a baseline measured on the same machine in the same run.
 */
@NullMarked
package dev.editflow.benchmarks;

import org.jspecify.annotations.NullMarked;
