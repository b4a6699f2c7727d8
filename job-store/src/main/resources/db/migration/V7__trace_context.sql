-- One trace per job: the W3C traceparent of the request that accepted a job, so that every later
-- step of the job, in any service and however much later, joins the same trace; and the trace
-- context of whoever wrote an outbox message, sent with it as an AMQP header.
alter table edit_job add column trace_parent varchar(55);
alter table outbox_message add column trace_parent varchar(55);
