-- The job store. PostgreSQL is the source of truth for every job; the broker only carries
-- "look at job X" messages, so a lost or duplicated message can always be recovered from here.

create table upload (
    id             varchar(40)  primary key,
    owner_id       varchar(200) not null,
    object_key     text         not null,
    content_type   varchar(100) not null,
    content_length bigint       not null,
    file_name      text,
    created_at     timestamptz  not null,
    expires_at     timestamptz  not null
);
create index upload_expires_at on upload (expires_at);

create table edit_job (
    id                  varchar(40)   primary key,
    owner_id            varchar(200)  not null,
    status              varchar(20)   not null,
    prompt              text          not null,
    model               varchar(100)  not null,
    parameters          jsonb         not null,
    inputs              jsonb         not null,
    webhook_url         text,
    idempotency_key     varchar(255),
    request_fingerprint varchar(64),
    attempt             int           not null default 1,
    -- Set just before the submit call to fal: a job with a marker but no request id crashed in
    -- the submit window and needs reconciling rather than a blind resubmit.
    submit_started_at   timestamptz,
    fal_request_id      varchar(100),
    fal_status_url      text,
    fal_response_url    text,
    fal_cancel_url      text,
    next_poll_at        timestamptz,
    poll_count          int           not null default 0,
    expected_outputs    int,
    -- fal's description of the outputs, kept so a lost EditCompleted can be sent again.
    fal_outputs         jsonb,
    cancel_requested_at timestamptz,
    -- The job ended on our side (cancelled, timed out) while fal may still run it: the worker
    -- still owes fal a cancel call.
    fal_cancel_pending  boolean       not null default false,
    error_code          varchar(50),
    error_message       text,
    estimated_cost_usd  numeric(12,4) not null,
    deadline_at         timestamptz   not null,
    created_at          timestamptz   not null,
    updated_at          timestamptz   not null
);
create unique index edit_job_idempotency on edit_job (owner_id, idempotency_key) where idempotency_key is not null;
-- Ids are time-ordered, so "newest first" is "id descending".
create index edit_job_owner_newest on edit_job (owner_id, id desc);
create index edit_job_poll_due on edit_job (next_poll_at)
    where status in ('SUBMITTED', 'IN_PROGRESS') or fal_cancel_pending;
create index edit_job_unfinished on edit_job (status, updated_at)
    where status in ('QUEUED', 'SUBMITTED', 'IN_PROGRESS', 'ARCHIVING');

create table edit_job_transition (
    id          bigserial    primary key,
    job_id      varchar(40)  not null references edit_job (id),
    from_status varchar(20),
    to_status   varchar(20)  not null,
    actor       varchar(50)  not null,
    reason      text,
    at          timestamptz  not null
);
create index edit_job_transition_job on edit_job_transition (job_id, id);

create table edit_output (
    job_id       varchar(40)  not null references edit_job (id),
    output_index int          not null,
    object_key   text         not null,
    content_type varchar(100) not null,
    width        int          not null,
    height       int          not null,
    bytes        bigint       not null,
    sha256       char(64)     not null,
    archived_at  timestamptz  not null,
    primary key (job_id, output_index)
);

-- Transactional outbox: written in the same transaction as the job change it announces,
-- relayed to the broker with publisher confirms, deleted once the broker confirmed it.
create table outbox_message (
    id              bigserial    primary key,
    job_id          varchar(40)  not null,
    message_type    varchar(50)  not null,
    message_version int          not null,
    routing_key     varchar(100) not null,
    payload         jsonb        not null,
    created_at      timestamptz  not null,
    attempts        int          not null default 0,
    next_attempt_at timestamptz  not null,
    last_error      text
);
create index outbox_message_due on outbox_message (next_attempt_at, id);
