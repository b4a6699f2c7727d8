-- The fal account's concurrency limit, kept across all worker replicas: jobs at fal are counted
-- through this partial index, and jobs that found no free slot wait here (still QUEUED) until a
-- slot frees up, instead of queueing at fal where they would run into the start timeout.
create index edit_job_at_fal on edit_job (id)
    where status in ('SUBMITTED', 'IN_PROGRESS') or (status = 'QUEUED' and submit_started_at is not null);

alter table edit_job add column waiting_for_fal_slot boolean not null default false;

create index edit_job_waiting_for_fal_slot on edit_job (created_at) where waiting_for_fal_slot;
