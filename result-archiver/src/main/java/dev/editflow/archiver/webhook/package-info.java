/**
 * Client webhooks: sends the delivery a finished job owes to its {@code webhookUrl}, signed per the
 * Standard Webhooks spec with the user's secret, over the same SSRF-safe HTTP as media downloads,
 * retried with growing delays.
 */
@NullMarked
package dev.editflow.archiver.webhook;

import org.jspecify.annotations.NullMarked;
