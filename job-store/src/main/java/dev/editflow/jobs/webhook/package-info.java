/**
 * Client webhooks: each user's signing secret, and the delivery a job's end owes to its {@code
 * webhookUrl}, recorded in the transaction that ends the job and sent by the result-archiver.
 */
@NullMarked
package dev.editflow.jobs.webhook;

import org.jspecify.annotations.NullMarked;
