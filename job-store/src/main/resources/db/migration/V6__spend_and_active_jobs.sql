-- Profiling the pipeline benchmark showed every submit and every success queueing on the one
-- spend_day row. A success now leaves the row alone: reserved spend counts as spent until a
-- failure or cancel gives it back, so one committed amount replaces reserved + settled.
alter table spend_day rename column reserved_usd to committed_usd;
update spend_day set committed_usd = committed_usd + settled_usd;
alter table spend_day drop column settled_usd;

-- The per-user active-jobs limit counts unfinished jobs; without this index the count read every
-- job the user ever had.
create index edit_job_active_by_owner on edit_job (owner_id)
    where status in ('QUEUED', 'SUBMITTED', 'IN_PROGRESS', 'ARCHIVING');
