/** The /_sim admin API: runtime settings, reset, counters and the list of submissions. */
@org.jspecify.annotations.NullMarked
package dev.editflow.falsim.admin;
