-- Operator actions, per-user limit overrides and the data lifecycle (delete, retention).

-- Every action taken through the admin API, by whom, on what, with what result: the audit trail.
create table admin_action (
    id        bigserial    primary key,
    operator  varchar(200) not null,
    action    varchar(50)  not null,
    target    varchar(300) not null,
    detail    text,
    at        timestamptz  not null
);
create index admin_action_target on admin_action (target, id);

-- Limits an operator set for one user; a null column keeps the service-wide default.
create table user_limits (
    owner_id            varchar(200) primary key,
    max_active_jobs     int,
    daily_images        int,
    requests_per_minute int,
    updated_by          varchar(200) not null,
    updated_at          timestamptz  not null
);

-- A job its owner deleted stays as a tombstone (id, owner, status, cost, transitions) for the audit
-- trail and the day's accounting; its prompt, inputs and outputs are gone.
alter table edit_job add column deleted_at timestamptz;
-- When the retention sweeper removed the job's outputs from the bucket.
alter table edit_job add column outputs_purged_at timestamptz;

-- The retention sweeper's work: ended jobs whose outputs are still in the bucket.
create index edit_job_outputs_kept on edit_job (updated_at)
    where outputs_purged_at is null and status in ('SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT');
create index upload_created_at on upload (created_at);
create index webhook_delivery_failed on webhook_delivery (finished_at) where status = 'FAILED';
