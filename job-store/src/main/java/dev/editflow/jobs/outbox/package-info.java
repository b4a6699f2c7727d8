/**
 * The writing half of the transactional outbox: messages are stored with the job change they
 * announce, in its transaction, so a job that got {@code 202} is never lost between the database
 * commit and the publish. The relay that publishes them lives in {@code job-messaging}.
 */
@NullMarked
package dev.editflow.jobs.outbox;

import org.jspecify.annotations.NullMarked;
