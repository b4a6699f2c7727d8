-- Usage accounting for limits that must hold across gateway replicas: every reservation is a
-- conditional upsert, so 100 concurrent submits can never exceed a limit by even one.

-- Images and estimated spend reserved per user and UTC day. Released when a job fails or is
-- cancelled, kept when it succeeds.
create table usage_day (
    owner_id varchar(200)  not null,
    day      date          not null,
    images   int           not null default 0,
    cost_usd numeric(14,4) not null default 0,
    primary key (owner_id, day)
);

-- The global spend of a UTC day, against the daily budget.
create table spend_day (
    day              date          primary key,
    reserved_usd     numeric(14,4) not null default 0,
    settled_usd      numeric(14,4) not null default 0
);

-- Fixed one-minute windows of requests per user, for the request rate limit.
create table request_window (
    owner_id     varchar(200) not null,
    window_start timestamptz  not null,
    requests     int          not null default 0,
    primary key (owner_id, window_start)
);

-- The day a job's reservation belongs to, so a release or settlement lands on the right row.
alter table edit_job add column reserved_on date;
alter table edit_job add column reserved_images int not null default 0;
