-- Fair share of the fal account: free slots go to the waiting job with the smallest virtual
-- finish time (self-clocked weighted fair queuing), not to the oldest job of all. A job's tag is
-- set when it enters the wait room: max(the clock, its owner's latest tag) + 1 / its tier's weight.
alter table edit_job add column tier varchar(20) not null default 'free';
alter table edit_job add column fal_virtual_finish numeric;
alter table edit_job add column fal_waiting_since timestamptz;
-- A slot is handed out before the job is sent again: it counts as at fal until it is submitted, so
-- a newcomer cannot take the slot meant for the job that was chosen.
alter table edit_job add column fal_slot_granted boolean not null default false;

-- The virtual clock: the tag of the job that got the last slot. Only ever moves forward.
create table fal_slot_clock (
    id           int     primary key check (id = 1),
    virtual_time numeric not null
);
insert into fal_slot_clock (id, virtual_time) values (1, 0);

drop index edit_job_at_fal;
create index edit_job_at_fal on edit_job (id)
    where status in ('SUBMITTED', 'IN_PROGRESS')
       or (status = 'QUEUED' and (submit_started_at is not null or fal_slot_granted));

-- The wait room in serving order: the next slot is the first entry, a queue position a range count.
drop index edit_job_waiting_for_fal_slot;
create index edit_job_fal_wait_room on edit_job (fal_virtual_finish, created_at, id)
    where waiting_for_fal_slot and status = 'QUEUED';

-- Jobs already waiting keep their order.
update edit_job set fal_virtual_finish = w.n
from (select id, row_number() over (order by created_at, id) as n from edit_job
      where waiting_for_fal_slot and status = 'QUEUED') w
where edit_job.id = w.id;
