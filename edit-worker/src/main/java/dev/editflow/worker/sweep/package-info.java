/** Finding jobs past their deadline or stuck, and ending or re-driving them. */
@NullMarked
package dev.editflow.worker.sweep;

import org.jspecify.annotations.NullMarked;
