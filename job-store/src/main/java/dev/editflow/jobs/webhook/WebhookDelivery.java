package dev.editflow.jobs.webhook;

import dev.editflow.model.EditJobId;

/**
 * A webhook owed to a client, claimed for one attempt.
 *
 * @param id the Standard Webhooks message id ({@code webhook-id}), the same on every retry
 * @param attempts attempts made before this one
 */
public record WebhookDelivery(
    String id, EditJobId jobId, String ownerId, String url, String eventType, int attempts) {}
