-- The outbox relay works in two steps so no transaction waits on the broker: it claims a batch
-- (sets claimed_by and pushes next_attempt_at to the end of its lease) in one statement that
-- commits at once, publishes and waits for the confirms outside any transaction, then deletes the
-- confirmed rows. A row whose relay died comes due again when the lease ends; a row the broker
-- did not confirm is released with a backoff, but only by the relay that still holds its claim.
alter table outbox_message add column claimed_by uuid;
