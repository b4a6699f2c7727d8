package dev.editflow.jobs;

import dev.editflow.jobs.outbox.Outbox;
import dev.editflow.jobs.tracing.JobTracing;
import dev.editflow.jobs.usage.Usage;
import dev.editflow.jobs.usage.UsageLimits;
import dev.editflow.jobs.webhook.ClientWebhooks;
import dev.editflow.model.EditJobId;
import dev.editflow.model.ErrorCode;
import dev.editflow.model.FalRequest;
import dev.editflow.model.JobStatus;
import dev.editflow.model.message.EditCompleted;
import dev.editflow.model.message.EditRequested;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The edit jobs in PostgreSQL. Every status change goes through {@link #move}: it locks the row,
 * checks {@link JobStatus#canMoveTo}, applies the change and records the transition, all in one
 * transaction, so two replicas racing on the same job cannot both win and a late event cannot undo
 * a terminal state. Messages that announce a change are written to the {@link Outbox} in that same
 * transaction. Every committed change is logged once and terminal ones are counted, whichever
 * service made them.
 */
public class EditJobs {

  private static final TypeReference<List<EditInput>> INPUT_LIST = new TypeReference<>() {};
  private static final String COLUMNS =
      """
      id, owner_id, status, prompt, model, parameters, inputs, webhook_url, idempotency_key,
      request_fingerprint, attempt, submit_started_at, fal_request_id, fal_status_url,
      fal_response_url, fal_cancel_url, poll_count, expected_outputs, fal_cancel_pending,
      error_code, error_message, estimated_cost_usd, deadline_at, created_at, updated_at,
      trace_parent, tier
      """;

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final Outbox outbox;
  private final Usage usage;
  private final ClientWebhooks webhooks;
  private final JsonMapper json;
  private final Clock clock;
  private final JobTracing tracing;
  private final TransitionReport report;
  private final FalWaitRoom waitRoom;

  public EditJobs(
      JdbcClient jdbc,
      TransactionTemplate transactions,
      Outbox outbox,
      Usage usage,
      ClientWebhooks webhooks,
      JsonMapper json,
      Clock clock,
      JobTracing tracing,
      MeterRegistry meters) {
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.outbox = outbox;
    this.usage = usage;
    this.webhooks = webhooks;
    // Stored JSON may carry fields a newer version wrote; reading must not depend on app settings.
    this.json =
        json.rebuild()
            .disable(tools.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    this.clock = clock;
    this.tracing = tracing;
    this.report = new TransitionReport(meters);
    this.waitRoom = new FalWaitRoom(jdbc, clock, meters);
  }

  /**
   * Stores a new job as {@code QUEUED} and, in the same transaction, asks a worker to run it. The
   * trace in scope (the accepting request's) becomes the job's trace.
   */
  public EditJob create(NewEditJob job, String actor) {
    return create(job, actor, null);
  }

  /**
   * Stores a new job as {@code QUEUED}, reserves its usage within {@code limits} and asks a worker
   * to run it, all in one transaction.
   *
   * @throws dev.editflow.jobs.usage.LimitExceeded if the job does not fit in the limits; nothing is
   *     stored then
   */
  public EditJob create(NewEditJob job, String actor, @Nullable UsageLimits limits) {
    return transactions.execute(
        tx -> {
          Instant now = clock.instant();
          jdbc.sql(
                  """
                  insert into edit_job (id, owner_id, status, prompt, model, parameters, inputs,
                    webhook_url, idempotency_key, request_fingerprint, estimated_cost_usd,
                    deadline_at, created_at, updated_at, trace_parent, tier)
                  values (:id, :owner, 'QUEUED', :prompt, :model, cast(:parameters as jsonb),
                    cast(:inputs as jsonb), :webhookUrl, :idempotencyKey, :fingerprint, :cost,
                    :deadline, :now, :now, :trace, :tier)
                  """)
              .param("id", job.id().value())
              .param("owner", job.ownerId())
              .param("prompt", job.prompt())
              .param("model", job.model())
              .param("parameters", json.writeValueAsString(job.parameters()))
              .param("inputs", json.writeValueAsString(job.inputs()))
              .param("webhookUrl", job.webhookUrl())
              .param("idempotencyKey", job.idempotencyKey())
              .param("fingerprint", job.requestFingerprint())
              .param("cost", job.estimatedCostUsd())
              .param("deadline", Timestamp.from(job.deadlineAt()))
              .param("now", Timestamp.from(now))
              .param("trace", tracing.currentTraceParent())
              .param("tier", job.tier())
              .update();
          recordTransition(job.id(), null, JobStatus.QUEUED, actor, "accepted", now);
          report.afterCommit(
              new TransitionReport.Change(
                  job.id(),
                  job.model(),
                  null,
                  JobStatus.QUEUED,
                  actor,
                  "accepted",
                  null,
                  Duration.ZERO));
          outbox.append(new EditRequested(job.id(), 1, now));
          EditJob created = find(job.id()).orElseThrow();
          // Last, so the usage rows (the global spend row above all) stay locked only until the
          // commit: every submit on every replica queues on that row.
          if (limits != null) {
            usage.reserve(
                job.id(),
                job.ownerId(),
                job.parameters().numImages(),
                job.estimatedCostUsd(),
                limits);
          }
          return created;
        });
  }

  public Optional<EditJob> find(EditJobId id) {
    return jdbc.sql("select " + COLUMNS + " from edit_job where id = :id")
        .param("id", id.value())
        .query(this::mapJob)
        .optional();
  }

  /**
   * The job if it exists, belongs to {@code ownerId} and was not deleted; another owner's job does
   * not exist.
   */
  public Optional<EditJob> findOwned(EditJobId id, String ownerId) {
    return jdbc.sql(
            "select "
                + COLUMNS
                + " from edit_job where id = :id and owner_id = :owner and deleted_at is null")
        .param("id", id.value())
        .param("owner", ownerId)
        .query(this::mapJob)
        .optional();
  }

  public Optional<EditJob> findByIdempotencyKey(String ownerId, String idempotencyKey) {
    return jdbc.sql(
            "select "
                + COLUMNS
                + " from edit_job where owner_id = :owner and idempotency_key = :key")
        .param("owner", ownerId)
        .param("key", idempotencyKey)
        .query(this::mapJob)
        .optional();
  }

  /**
   * The owner's jobs, newest first.
   *
   * @param before only jobs older than this one (the cursor of the previous page), or {@literal
   *     null} for the first page
   */
  public List<EditJob> listOwned(
      String ownerId, @Nullable JobStatus status, int limit, @Nullable EditJobId before) {
    StringBuilder sql =
        new StringBuilder(
            "select " + COLUMNS + " from edit_job where owner_id = :owner and deleted_at is null");
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("owner", ownerId);
    if (status != null) {
      sql.append(" and status = :status");
      params.put("status", status.name());
    }
    if (before != null) {
      sql.append(" and id < :before");
      params.put("before", before.value());
    }
    sql.append(" order by id desc limit :limit");
    params.put("limit", limit);
    return jdbc.sql(sql.toString()).params(params).query(this::mapJob).list();
  }

  /** Every transition of the job after {@code afterSequence}, oldest first. */
  public List<JobTransition> transitions(EditJobId id, long afterSequence) {
    return transitions(List.of(id), afterSequence).getOrDefault(id, List.of());
  }

  /**
   * Every transition of these jobs after {@code afterSequence}, oldest first, by job: one query for
   * many event streams.
   */
  public Map<EditJobId, List<JobTransition>> transitions(
      java.util.Collection<EditJobId> ids, long afterSequence) {
    Map<EditJobId, List<JobTransition>> byJob = new LinkedHashMap<>();
    if (ids.isEmpty()) {
      return byJob;
    }
    jdbc.sql(
            """
            select job_id, id, from_status, to_status, actor, reason, at from edit_job_transition
            where job_id in (:ids) and id > :after order by id
            """)
        .param("ids", ids.stream().map(EditJobId::value).toList())
        .param("after", afterSequence)
        .query(
            rs -> {
              byJob
                  .computeIfAbsent(new EditJobId(rs.getString("job_id")), k -> new ArrayList<>())
                  .add(
                      new JobTransition(
                          rs.getLong("id"),
                          status(rs.getString("from_status")),
                          JobStatus.valueOf(rs.getString("to_status")),
                          rs.getString("actor"),
                          rs.getString("reason"),
                          rs.getTimestamp("at").toInstant()));
            });
    return byJob;
  }

  public List<ArchivedOutput> outputs(EditJobId id) {
    return jdbc.sql(
            """
            select output_index, object_key, content_type, width, height, bytes, sha256, archived_at
            from edit_output where job_id = :id order by output_index
            """)
        .param("id", id.value())
        .query(
            (rs, row) ->
                new ArchivedOutput(
                    rs.getInt("output_index"),
                    rs.getString("object_key"),
                    rs.getString("content_type"),
                    rs.getInt("width"),
                    rs.getInt("height"),
                    rs.getLong("bytes"),
                    rs.getString("sha256"),
                    rs.getTimestamp("archived_at").toInstant()))
        .list();
  }

  // ---- worker ----------------------------------------------------------------------------

  /**
   * Records that the worker is about to submit this attempt to fal, if nobody has marked it yet.
   *
   * @return {@literal true} if the caller may submit now
   * @see #markSubmitStarted(EditJobId, int, Instant)
   */
  public boolean markSubmitStarted(EditJobId id, int attempt) {
    return markSubmitStarted(id, attempt, null);
  }

  /**
   * Records that the worker is about to submit this attempt to fal. Only a queued job of that
   * attempt with no fal request yet qualifies, and only while its submit marker is still the one
   * the caller saw: of several deliveries racing for the same attempt exactly one wins, and a stale
   * marker (a worker died while submitting) is taken over by one delivery only.
   *
   * @param seenMarker the job's {@code submitStartedAt} as the caller read it; {@literal null} if
   *     it had none
   * @return {@literal true} if the caller may submit now
   */
  public boolean markSubmitStarted(EditJobId id, int attempt, @Nullable Instant seenMarker) {
    return jdbc.sql(
                """
                update edit_job set submit_started_at = :now, updated_at = :now
                where id = :id and status = 'QUEUED' and attempt = :attempt
                  and fal_request_id is null
                """
                    + (seenMarker == null
                        ? " and submit_started_at is null"
                        : " and submit_started_at = :seen"))
            .params(seenMarker == null ? Map.of() : Map.of("seen", Timestamp.from(seenMarker)))
            .param("now", Timestamp.from(clock.instant()))
            .param("id", id.value())
            .param("attempt", attempt)
            .update()
        == 1;
  }

  /** What {@link #startSubmitWithinFalLimit} decided. */
  public enum SubmitStart {
    /** The caller holds the submit marker and a fal slot: submit now. */
    STARTED,
    /** Another delivery holds the marker. */
    TAKEN,
    /**
     * The fal account is at its limit, or others come first: the job waits (still QUEUED) in the
     * wait room until {@link #releaseWaiting} hands it a slot.
     */
    NO_FAL_SLOT
  }

  /**
   * {@link #markSubmitStarted(EditJobId, int, Instant)} for a job that holds a fal slot. A job
   * without one enters the wait room, and free slots (fewer than {@code falConcurrency} jobs being
   * submitted, SUBMITTED, IN_PROGRESS or granted a slot across every replica) go to the waiting
   * jobs in fair-share order, maybe this one. One advisory lock serialises the count, the choice
   * and the marker, so replicas can neither overshoot nor disagree. A {@code falConcurrency} of 0
   * or less means no limit and no wait room.
   *
   * @param weight the job's tier weight: its share of the slots against other users' jobs
   */
  public SubmitStart startSubmitWithinFalLimit(
      EditJobId id, int attempt, @Nullable Instant seenMarker, int falConcurrency, double weight) {
    if (falConcurrency <= 0) {
      return markSubmitStarted(id, attempt, seenMarker) ? SubmitStart.STARTED : SubmitStart.TAKEN;
    }
    SubmitStart start =
        transactions.execute(
            tx -> {
              lockFalSlots();
              boolean granted = holdsFalSlot(id, attempt);
              if (!granted) {
                waitRoom.enter(id, attempt, weight);
                for (FalWaitRoom.Grant grant : grantFreeSlots(falConcurrency)) {
                  if (grant.id().equals(id) && grant.attempt() == attempt) {
                    granted = true;
                  } else {
                    outbox.append(new EditRequested(grant.id(), grant.attempt(), clock.instant()));
                  }
                }
              }
              if (!granted) {
                return SubmitStart.NO_FAL_SLOT;
              }
              return markSubmitStarted(id, attempt, seenMarker)
                  ? SubmitStart.STARTED
                  : SubmitStart.TAKEN;
            });
    return start == null ? SubmitStart.TAKEN : start;
  }

  /**
   * Hands the free fal slots to the waiting jobs in fair-share order and sends them to the workers
   * again.
   *
   * @return how many got a slot
   */
  public int releaseWaiting(int falConcurrency) {
    Integer released =
        transactions.execute(
            tx -> {
              lockFalSlots();
              List<FalWaitRoom.Grant> granted = grantFreeSlots(falConcurrency);
              Instant now = clock.instant();
              granted.forEach(
                  grant -> outbox.append(new EditRequested(grant.id(), grant.attempt(), now)));
              return granted.size();
            });
    return released == null ? 0 : released;
  }

  /**
   * The job's place in the wait room for a fal slot (1: it gets the next one), or empty when it is
   * not waiting. A position, not a promise: a user with nothing waiting may still be served before
   * it, fair share is about turns, not arrival.
   */
  public Optional<Long> queuePosition(EditJobId id) {
    return waitRoom.position(id);
  }

  private List<FalWaitRoom.Grant> grantFreeSlots(int falConcurrency) {
    return waitRoom.grant(falConcurrency - jobsAtFal());
  }

  private boolean holdsFalSlot(EditJobId id, int attempt) {
    return jdbc.sql(
            """
            select fal_slot_granted or submit_started_at is not null from edit_job
            where id = :id and status = 'QUEUED' and attempt = :attempt
            """)
        .param("id", id.value())
        .param("attempt", attempt)
        .query(Boolean.class)
        .optional()
        .orElse(false);
  }

  /** Jobs that hold a fal slot now, on every replica. */
  public long jobsAtFal() {
    return jdbc.sql(
            """
            select count(*) from edit_job
            where status in ('SUBMITTED', 'IN_PROGRESS')
               or (status = 'QUEUED' and (submit_started_at is not null or fal_slot_granted))
            """)
        .query(Long.class)
        .single();
  }

  private void lockFalSlots() {
    jdbc.sql("select pg_advisory_xact_lock(hashtextextended('editflow.fal-slots', 0))")
        .query()
        .singleRow();
  }

  /**
   * Removes the submit marker of an attempt whose submit provably created no fal request (fal
   * refused it), so the next delivery may submit without waiting out the grace period.
   */
  public void clearSubmitStarted(EditJobId id, int attempt) {
    jdbc.sql(
            """
            update edit_job set submit_started_at = null
            where id = :id and status = 'QUEUED' and attempt = :attempt and fal_request_id is null
            """)
        .param("id", id.value())
        .param("attempt", attempt)
        .update();
  }

  /** fal accepted the attempt: remember its request before anything else can go wrong. */
  public boolean markSubmitted(EditJobId id, int attempt, FalRequest request, Instant nextPollAt) {
    return move(
        id,
        JobStatus.SUBMITTED,
        attempt,
        "worker",
        "fal request " + request.requestId(),
        Map.of(
            "fal_request_id", request.requestId(),
            "fal_status_url", request.statusUrl(),
            "fal_response_url", request.responseUrl(),
            "fal_cancel_url", request.cancelUrl(),
            "next_poll_at", Timestamp.from(nextPollAt),
            "poll_count", 0));
  }

  public boolean markInProgress(EditJobId id, Instant nextPollAt) {
    return move(
        id,
        JobStatus.IN_PROGRESS,
        null,
        "worker",
        "fal started the request",
        Map.of("next_poll_at", Timestamp.from(nextPollAt)));
  }

  /** Sets when the worker looks at the job's fal request next; counts the look just made. */
  public void schedulePoll(EditJobId id, Instant nextPollAt) {
    jdbc.sql(
            """
            update edit_job set next_poll_at = :next, poll_count = poll_count + 1
            where id = :id
            """)
        .param("next", Timestamp.from(nextPollAt))
        .param("id", id.value())
        .update();
  }

  /**
   * Claims up to {@code limit} jobs whose fal request is due for a look (or whose cancel at fal is
   * still owed), oldest due first. Each claimed job is pushed {@code lease} into the future, so
   * another replica does not look at it too; a replica that dies mid-look loses nothing, the job
   * simply comes due again when the lease ends.
   */
  public List<EditJob> claimDuePolls(int limit, Duration lease) {
    return transactions.execute(
        tx -> {
          Instant now = clock.instant();
          List<String> ids =
              jdbc.sql(
                      """
                      select id from edit_job
                      where (status in ('SUBMITTED', 'IN_PROGRESS') or fal_cancel_pending)
                        and next_poll_at <= :now
                      order by next_poll_at limit :limit
                      for update skip locked
                      """)
                  .param("now", Timestamp.from(now))
                  .param("limit", limit)
                  .query(String.class)
                  .list();
          if (ids.isEmpty()) {
            return List.of();
          }
          jdbc.sql("update edit_job set next_poll_at = :until where id in (:ids)")
              .param("until", Timestamp.from(now.plus(lease)))
              .param("ids", ids)
              .update();
          return jdbc.sql("select " + COLUMNS + " from edit_job where id in (:ids)")
              .param("ids", ids)
              .query(this::mapJob)
              .list();
        });
  }

  /** fal finished the request successfully; hands its outputs to the archiver. */
  public boolean markArchiving(EditCompleted completed) {
    return transactions.execute(
        tx -> {
          boolean moved =
              move(
                  completed.jobId(),
                  JobStatus.ARCHIVING,
                  completed.attempt(),
                  "worker",
                  "fal completed with " + completed.images().size() + " image(s)",
                  Map.of(
                      "expected_outputs",
                      completed.images().size(),
                      "fal_outputs",
                      new JsonColumn(json.writeValueAsString(completed))));
          if (moved) {
            outbox.append(completed);
          }
          return moved;
        });
  }

  /** The job failed for good; {@code detail} is for operators and is never shown to users. */
  public boolean fail(EditJobId id, ErrorCode code, String detail, String actor) {
    return move(
        id,
        JobStatus.FAILED,
        null,
        actor,
        code + ": " + detail,
        Map.of("error_code", code.name(), "error_message", code.userMessage()));
  }

  /**
   * Starts a new attempt after a retryable provider failure: back to {@code QUEUED} with the
   * attempt number raised, and a new {@link EditRequested} for it.
   */
  public boolean retry(EditJobId id, int failedAttempt, ErrorCode cause, String actor) {
    return retry(id, failedAttempt, cause, actor, Duration.ZERO);
  }

  /**
   * {@link #retry(EditJobId, int, ErrorCode, String)} after {@code delay}, so that the attempts of
   * a job span a short outage instead of all failing inside it.
   */
  public boolean retry(
      EditJobId id, int failedAttempt, ErrorCode cause, String actor, Duration delay) {
    return transactions.execute(
        tx -> {
          boolean moved =
              move(
                  id,
                  JobStatus.QUEUED,
                  failedAttempt,
                  actor,
                  "retrying after " + cause,
                  columnsClearingFalRequest(Map.of("attempt", failedAttempt + 1)));
          if (moved) {
            outbox.append(new EditRequested(id, failedAttempt + 1, clock.instant()), delay);
          }
          return moved;
        });
  }

  /**
   * Ends the job as {@code to} (cancelled or timed out). If fal may still hold a request of it, the
   * worker is told to cancel it there.
   */
  public boolean end(EditJobId id, JobStatus to, ErrorCode code, String actor, String reason) {
    if (to != JobStatus.CANCELLED && to != JobStatus.TIMED_OUT) {
      throw new IllegalArgumentException("end() is for CANCELLED or TIMED_OUT, not " + to);
    }
    return transactions.execute(
        tx -> {
          EditJob job = find(id).orElse(null);
          if (job == null) {
            return false;
          }
          Map<String, Object> columns = new LinkedHashMap<>();
          columns.put("error_code", code.name());
          columns.put("error_message", code.userMessage());
          if (job.falRequest() != null && job.status().isAtProvider()) {
            columns.put("fal_cancel_pending", true);
            columns.put("next_poll_at", Timestamp.from(clock.instant()));
          }
          return move(id, to, null, actor, reason, columns);
        });
  }

  /** The worker told fal to cancel (or fal no longer has the request). */
  public void markFalCancelDone(EditJobId id) {
    jdbc.sql("update edit_job set fal_cancel_pending = false where id = :id")
        .param("id", id.value())
        .update();
  }

  // ---- archiver --------------------------------------------------------------------------

  /**
   * Records an archived output once; a second archive of the same output (a redelivery) changes
   * nothing.
   *
   * @return {@literal true} if this call recorded it
   */
  public boolean recordOutput(EditJobId id, ArchivedOutput output) {
    return jdbc.sql(
                """
                insert into edit_output (job_id, output_index, object_key, content_type, width,
                  height, bytes, sha256, archived_at)
                values (:id, :index, :key, :type, :width, :height, :bytes, :sha256, :at)
                on conflict (job_id, output_index) do nothing
                """)
            .param("id", id.value())
            .param("index", output.index())
            .param("key", output.objectKey())
            .param("type", output.contentType())
            .param("width", output.width())
            .param("height", output.height())
            .param("bytes", output.bytes())
            .param("sha256", output.sha256())
            .param("at", Timestamp.from(output.archivedAt()))
            .update()
        == 1;
  }

  /** {@code ARCHIVING -> SUCCEEDED}, only once every expected output is recorded. */
  public boolean markSucceeded(EditJobId id) {
    return transactions.execute(
        tx -> {
          var archived =
              jdbc.sql(
                      """
                      select j.expected_outputs, count(o.output_index), coalesce(sum(o.bytes), 0)
                      from edit_job j left join edit_output o on o.job_id = j.id
                      where j.id = :id group by j.expected_outputs
                      """)
                  .param("id", id.value())
                  .query((rs, row) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)})
                  .optional()
                  .orElse(null);
          if (archived == null || archived[0] != archived[1]) {
            return false;
          }
          return move(
              id,
              JobStatus.SUCCEEDED,
              null,
              "archiver",
              "archived " + archived[1] + " output(s), " + archived[2] + " bytes",
              Map.of());
        });
  }

  // ---- sweeper ---------------------------------------------------------------------------

  /** Unfinished jobs whose deadline passed, oldest first. */
  public List<EditJob> findPastDeadline(int limit) {
    return jdbc.sql(
            "select "
                + COLUMNS
                + """
                 from edit_job
                where status in ('QUEUED', 'SUBMITTED', 'IN_PROGRESS', 'ARCHIVING')
                  and deadline_at <= :now
                order by deadline_at limit :limit
                """)
        .param("now", Timestamp.from(clock.instant()))
        .param("limit", limit)
        .query(this::mapJob)
        .list();
  }

  /** Jobs in {@code status} that have not changed for {@code quietFor}, oldest first. */
  public List<EditJob> findUnchangedSince(JobStatus status, Duration quietFor, int limit) {
    return jdbc.sql(
            "select "
                + COLUMNS
                + """
                 from edit_job where status = :status and updated_at <= :before
                order by updated_at limit :limit
                """)
        .param("status", status.name())
        .param("before", Timestamp.from(clock.instant().minus(quietFor)))
        .param("limit", limit)
        .query(this::mapJob)
        .list();
  }

  /**
   * A page of the jobs in {@code status} unchanged since {@code before}, longest unchanged first.
   *
   * @param afterUpdatedAt the last change of the previous page's last job, or {@literal null} for
   *     the first page
   * @param afterId the previous page's last job
   */
  public List<EditJob> findUnchangedBefore(
      JobStatus status,
      Instant before,
      int limit,
      @Nullable Instant afterUpdatedAt,
      @Nullable EditJobId afterId) {
    return jdbc.sql(
            "select "
                + COLUMNS
                + " from edit_job where status = :status and updated_at <= :before"
                + (afterUpdatedAt == null || afterId == null
                    ? ""
                    : " and (updated_at, id) > (:afterAt, :afterId)")
                + " order by updated_at, id limit :limit")
        .params(
            afterUpdatedAt == null || afterId == null
                ? Map.of()
                : Map.of("afterAt", Timestamp.from(afterUpdatedAt), "afterId", afterId.value()))
        .param("status", status.name())
        .param("before", Timestamp.from(before))
        .param("limit", limit)
        .query(this::mapJob)
        .list();
  }

  /**
   * Makes a job at fal due for the worker's next look at once, as if its poll time had come: the
   * poller's own path then finds whatever fal knows.
   *
   * @return {@literal false} if the job is not at fal
   */
  public boolean pollNow(EditJobId id) {
    return jdbc.sql(
                """
                update edit_job set next_poll_at = :now
                where id = :id and status in ('SUBMITTED', 'IN_PROGRESS')
                """)
            .param("now", Timestamp.from(clock.instant()))
            .param("id", id.value())
            .update()
        == 1;
  }

  /**
   * Touches a stuck job and asks a worker to look at it again (a lost message, a dead worker).
   *
   * @return {@literal false} if the job moved on in the meantime; nothing was sent then
   */
  public boolean redrive(EditJob job, String reason) {
    return Boolean.TRUE.equals(
        transactions.execute(
            tx -> {
              int touched =
                  jdbc.sql(
                          """
                      update edit_job set updated_at = :now
                      where id = :id and status = :status and attempt = :attempt
                      """)
                      .param("now", Timestamp.from(clock.instant()))
                      .param("id", job.id().value())
                      .param("status", job.status().name())
                      .param("attempt", job.attempt())
                      .update();
              if (touched == 1) {
                outbox.append(new EditRequested(job.id(), job.attempt(), clock.instant()));
              }
              return touched == 1;
            }));
  }

  /**
   * Sends the job's {@link EditCompleted} again when it has been {@code ARCHIVING} for too long (a
   * lost message, an archiver that died); archiving is idempotent, so a duplicate is harmless.
   */
  public boolean redriveArchiving(EditJobId id) {
    return Boolean.TRUE.equals(
        transactions.execute(
            tx -> {
              String completed =
                  jdbc.sql(
                          """
                          update edit_job set updated_at = :now
                          where id = :id and status = 'ARCHIVING' and fal_outputs is not null
                          returning fal_outputs::text
                          """)
                      .param("now", Timestamp.from(clock.instant()))
                      .param("id", id.value())
                      .query(String.class)
                      .optional()
                      .orElse(null);
              if (completed == null) {
                return false;
              }
              outbox.append(json.readValue(completed, EditCompleted.class));
              return true;
            }));
  }

  // ---- the one place that changes status ---------------------------------------------------

  /**
   * Moves a job to {@code to} if its current status allows it (and, when given, it is still on
   * {@code expectedAttempt}), setting {@code columns} too and recording the transition.
   *
   * @return {@literal false} if the job does not exist or the transition is not allowed; nothing
   *     changed then
   */
  private boolean move(
      EditJobId id,
      JobStatus to,
      @Nullable Integer expectedAttempt,
      String actor,
      String reason,
      Map<String, ?> columns) {
    Boolean moved =
        transactions.execute(
            tx -> {
              var current =
                  jdbc.sql(
                          """
                          select status, attempt, webhook_url is not null, model, created_at
                          from edit_job where id = :id for update
                          """)
                      .param("id", id.value())
                      .query(
                          (rs, row) ->
                              new LockedRow(
                                  status(rs.getString(1)),
                                  rs.getInt(2),
                                  rs.getBoolean(3),
                                  rs.getString(4),
                                  rs.getTimestamp(5).toInstant()))
                      .optional();
              if (current.isEmpty()) {
                return false;
              }
              JobStatus from = current.get().status();
              if (from == null
                  || !from.canMoveTo(to)
                  || (expectedAttempt != null && current.get().attempt() != expectedAttempt)) {
                return false;
              }
              Instant now = clock.instant();
              StringBuilder sql =
                  new StringBuilder("update edit_job set status = :to, updated_at = :now");
              columns.forEach(
                  (column, value) -> {
                    String parameter = ":" + column;
                    sql.append(", ").append(column).append(" = ");
                    sql.append(
                        value instanceof JsonColumn
                            ? "cast(" + parameter + " as jsonb)"
                            : parameter);
                  });
              sql.append(" where id = :id");
              Map<String, Object> params = new LinkedHashMap<>();
              columns.forEach(
                  (column, value) ->
                      params.put(column, value instanceof JsonColumn j ? j.json() : value));
              params.put("to", to.name());
              params.put("now", Timestamp.from(now));
              params.put("id", id.value());
              jdbc.sql(sql.toString()).params(params).update();
              recordTransition(id, from, to, actor, reason, now);
              report.afterCommit(
                  new TransitionReport.Change(
                      id,
                      current.get().model(),
                      from,
                      to,
                      actor,
                      reason,
                      columns.get("error_code") instanceof String code ? code : null,
                      Duration.between(current.get().createdAt(), now)));
              if (to.isTerminal()) {
                usage.onFinished(id, to);
                if (current.get().hasWebhook()) {
                  webhooks.onFinished(id, to);
                }
              }
              return true;
            });
    return Boolean.TRUE.equals(moved);
  }

  /** What {@link #move} reads of a job under its row lock. */
  private record LockedRow(
      @Nullable JobStatus status,
      int attempt,
      boolean hasWebhook,
      String model,
      Instant createdAt) {}

  /** A value written to a {@code jsonb} column. */
  private record JsonColumn(String json) {}

  private static Map<String, Object> columnsClearingFalRequest(Map<String, Object> more) {
    Map<String, Object> columns = new LinkedHashMap<>(more);
    columns.put("submit_started_at", null);
    // The next attempt waits for a slot of its own, in its turn.
    columns.put("fal_slot_granted", false);
    columns.put("waiting_for_fal_slot", false);
    columns.put("fal_request_id", null);
    columns.put("fal_status_url", null);
    columns.put("fal_response_url", null);
    columns.put("fal_cancel_url", null);
    columns.put("next_poll_at", null);
    columns.put("poll_count", 0);
    return columns;
  }

  private void recordTransition(
      EditJobId id,
      @Nullable JobStatus from,
      JobStatus to,
      String actor,
      String reason,
      Instant at) {
    jdbc.sql(
            """
            insert into edit_job_transition (job_id, from_status, to_status, actor, reason, at)
            values (:id, :from, :to, :actor, :reason, :at)
            """)
        .param("id", id.value())
        .param("from", from == null ? null : from.name())
        .param("to", to.name())
        .param("actor", actor)
        .param("reason", reason.length() > 2000 ? reason.substring(0, 2000) : reason)
        .param("at", Timestamp.from(at))
        .update();
  }

  private EditJob mapJob(ResultSet rs, int row) throws SQLException {
    String falRequestId = rs.getString("fal_request_id");
    Timestamp submitStarted = rs.getTimestamp("submit_started_at");
    String errorCode = rs.getString("error_code");
    int expected = rs.getInt("expected_outputs");
    Integer expectedOutputs = rs.wasNull() ? null : expected;
    return new EditJob(
        new EditJobId(rs.getString("id")),
        rs.getString("owner_id"),
        JobStatus.valueOf(rs.getString("status")),
        rs.getString("prompt"),
        rs.getString("model"),
        json.readValue(rs.getString("parameters"), EditParameters.class),
        json.readValue(rs.getString("inputs"), INPUT_LIST),
        rs.getString("webhook_url"),
        rs.getString("idempotency_key"),
        rs.getString("request_fingerprint"),
        rs.getInt("attempt"),
        submitStarted == null ? null : submitStarted.toInstant(),
        falRequestId == null
            ? null
            : new FalRequest(
                falRequestId,
                rs.getString("fal_status_url"),
                rs.getString("fal_response_url"),
                rs.getString("fal_cancel_url")),
        rs.getInt("poll_count"),
        expectedOutputs,
        rs.getBoolean("fal_cancel_pending"),
        errorCode == null ? null : ErrorCode.valueOf(errorCode),
        rs.getString("error_message"),
        rs.getBigDecimal("estimated_cost_usd"),
        rs.getTimestamp("deadline_at").toInstant(),
        rs.getTimestamp("created_at").toInstant(),
        rs.getTimestamp("updated_at").toInstant(),
        rs.getString("trace_parent"),
        rs.getString("tier"));
  }

  private static @Nullable JobStatus status(@Nullable String name) {
    return name == null ? null : JobStatus.valueOf(name);
  }
}
