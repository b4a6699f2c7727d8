-- Client webhooks (Standard Webhooks): one signing secret per user, and one delivery per job that
-- ends, written in the transaction that ends the job so it cannot be lost.

create table webhook_secret (
    owner_id        varchar(200) primary key,
    secret          text         not null,
    -- Still signed with, beside the new one, for a grace period after a rotation.
    previous_secret text,
    rotated_at      timestamptz,
    created_at      timestamptz  not null
);

create table webhook_delivery (
    -- The Standard Webhooks message id (header webhook-id): the same on every retry.
    id              varchar(64)  primary key,
    job_id          varchar(40)  not null references edit_job (id),
    owner_id        varchar(200) not null,
    url             text         not null,
    event_type      varchar(40)  not null,
    status          varchar(16)  not null default 'PENDING',
    attempts        int          not null default 0,
    next_attempt_at timestamptz,
    last_http_status int,
    last_error      text,
    created_at      timestamptz  not null,
    finished_at     timestamptz
);

create index webhook_delivery_due on webhook_delivery (next_attempt_at) where status = 'PENDING';
