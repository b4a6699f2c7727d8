-- When an upload's bytes passed the checks (stored with the announced size, an accepted image of
-- sane dimensions): later edits naming it skip reading it from S3 again. A file replaced through
-- the still-valid presigned URL afterwards is no worse than one replaced right after the first
-- check, which no check at submit time could prevent either.
alter table upload add column checked_at timestamptz;
