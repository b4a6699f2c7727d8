/**
 * The relaying half of the transactional outbox: rows that {@link dev.editflow.jobs.outbox.Outbox}
 * stored with their job change are published to the broker with publisher confirms and deleted once
 * confirmed.
 */
@NullMarked
package dev.editflow.messaging.outbox;

import org.jspecify.annotations.NullMarked;
