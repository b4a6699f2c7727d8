/** editflow's house rules as ArchUnit checks, run by every service module's unit tests. */
@NullMarked
package dev.editflow.testsupport.architecture;

import org.jspecify.annotations.NullMarked;
