/**
 * The transactional outbox: messages are stored with the job change they announce and relayed to
 * the broker with publisher confirms, so a job that got {@code 202} is never lost between the
 * database commit and the publish.
 */
@NullMarked
package dev.editflow.jobs.outbox;

import org.jspecify.annotations.NullMarked;
