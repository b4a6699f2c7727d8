package dev.editflow.jobs;

import dev.editflow.jobs.outbox.Outbox;
import dev.editflow.jobs.tracing.JobTracing;
import dev.editflow.jobs.usage.Usage;
import dev.editflow.jobs.usage.UsageLimits;
import dev.editflow.jobs.webhook.ClientWebhooks;
import dev.editflow.model.EditJobId;
import dev.editflow.model.JobStatus;
import dev.editflow.model.message.EditRequested;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The job core: creates edit jobs, reads them and their history, and is the only code that changes
 * a job's status. Every change is a {@link Transition} handed to {@link #move}: it locks the row,
 * checks {@link JobStatus#canMoveTo}, applies the change and records the transition, all in one
 * transaction, so two replicas racing on the same job cannot both win and a late event cannot undo
 * a terminal state. Messages that announce a change are written to the {@link Outbox} in that same
 * transaction. Every committed change is logged once and terminal ones are counted, whichever
 * service made them. The services keep their other queries on the job row themselves.
 */
public class EditJobs {

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final Outbox outbox;
  private final Usage usage;
  private final ClientWebhooks webhooks;
  private final EditJobRows rows;
  private final TransitionWrites writes;
  private final Clock clock;
  private final JobTracing tracing;
  private final TransitionReport report;

  public EditJobs(
      JdbcClient jdbc,
      TransactionTemplate transactions,
      Outbox outbox,
      Usage usage,
      ClientWebhooks webhooks,
      EditJobRows rows,
      Clock clock,
      JobTracing tracing,
      MeterRegistry meters) {
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.outbox = outbox;
    this.usage = usage;
    this.webhooks = webhooks;
    this.rows = rows;
    this.writes = new TransitionWrites(jdbc, rows, outbox, clock);
    this.clock = clock;
    this.tracing = tracing;
    this.report = new TransitionReport(meters);
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
          // The job, its first history row and the row as stored, in one round trip.
          EditJob created =
              jdbc.sql(
                      """
                      with created as (
                        insert into edit_job (id, owner_id, status, prompt, model, parameters,
                          inputs, webhook_url, idempotency_key, request_fingerprint,
                          estimated_cost_usd, deadline_at, created_at, updated_at, trace_parent,
                          tier)
                        values (:id, :owner, 'QUEUED', :prompt, :model, cast(:parameters as jsonb),
                          cast(:inputs as jsonb), :webhookUrl, :idempotencyKey, :fingerprint, :cost,
                          :deadline, :now, :now, :trace, :tier)
                        returning %s),
                      history as (
                        insert into edit_job_transition
                          (job_id, from_status, to_status, actor, reason, at)
                        select id, null, 'QUEUED', :actor, 'accepted', created_at from created)
                      select * from created
                      """
                          .formatted(EditJobRows.COLUMNS))
                  .param("id", job.id().value())
                  .param("owner", job.ownerId())
                  .param("prompt", job.prompt())
                  .param("model", job.model())
                  .param("parameters", rows.toJson(job.parameters()))
                  .param("inputs", rows.toJson(job.inputs()))
                  .param("webhookUrl", job.webhookUrl())
                  .param("idempotencyKey", job.idempotencyKey())
                  .param("fingerprint", job.requestFingerprint())
                  .param("cost", job.estimatedCostUsd())
                  .param("deadline", Timestamp.from(job.deadlineAt()))
                  .param("now", Timestamp.from(now))
                  .param("trace", tracing.currentTraceParent())
                  .param("tier", job.tier())
                  .param("actor", actor)
                  .query(rows::job)
                  .single();
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
    return jdbc.sql("select " + EditJobRows.COLUMNS + " from edit_job where id = :id")
        .param("id", id.value())
        .query(rows::job)
        .optional();
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
      Collection<EditJobId> ids, long afterSequence) {
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
                  .add(EditJobRows.transition(rs));
            });
    return byJob;
  }

  /** The job's archived outputs, in output order (the archiver records them). */
  public List<ArchivedOutput> outputs(EditJobId id) {
    return jdbc.sql(
            """
            select output_index, object_key, content_type, width, height, bytes, sha256, archived_at
            from edit_output where job_id = :id order by output_index
            """)
        .param("id", id.value())
        .query(EditJobRows::output)
        .list();
  }

  /**
   * Moves the job as {@code transition} says if its current status allows it (and it is still on
   * the attempt the transition names), writing the transition's columns, recording it in the
   * history and sending the message it owes.
   *
   * @return {@literal false} if the job does not exist or the transition is not allowed (or, for
   *     {@link Transition.Succeeded}, an output is missing); nothing changed then
   */
  public boolean move(EditJobId id, Transition transition) {
    Boolean moved =
        transactions.execute(
            tx -> {
              TransitionWrites.Locked job = lock(id).orElse(null);
              JobStatus to = transition.to();
              if (job == null || job.status() == null || !job.status().canMoveTo(to)) {
                return false;
              }
              TransitionWrites.Write write = writes.write(id, transition, job);
              if (write == null || (write.attempt() != null && job.attempt() != write.attempt())) {
                return false;
              }
              Instant now = clock.instant();
              updateAndRecord(id, job.status(), to, transition.actor(), write, now);
              report.afterCommit(
                  new TransitionReport.Change(
                      id,
                      job.model(),
                      job.status(),
                      to,
                      transition.actor(),
                      write.reason(),
                      write.columns().get("error_code") instanceof String code ? code : null,
                      Duration.between(job.createdAt(), now)));
              if (to.isTerminal()) {
                usage.onFinished(id, to);
                if (job.hasWebhook()) {
                  webhooks.onFinished(id, to);
                }
              }
              writes.announce(id, transition);
              return true;
            });
    return Boolean.TRUE.equals(moved);
  }

  private Optional<TransitionWrites.Locked> lock(EditJobId id) {
    return jdbc.sql(
            """
            select status, attempt, webhook_url is not null, fal_request_id is not null, model,
              created_at
            from edit_job where id = :id for update
            """)
        .param("id", id.value())
        .query(
            (rs, row) ->
                new TransitionWrites.Locked(
                    EditJobRows.status(rs.getString(1)),
                    rs.getInt(2),
                    rs.getBoolean(3),
                    rs.getBoolean(4),
                    rs.getString(5),
                    rs.getTimestamp(6).toInstant()))
        .optional();
  }

  /** Writes the move and its history row in one statement: one round trip less per move. */
  private void updateAndRecord(
      EditJobId id,
      JobStatus from,
      JobStatus to,
      String actor,
      TransitionWrites.Write write,
      Instant now) {
    Map<String, Object> params = new LinkedHashMap<>();
    String sql =
        """
        with moved as (
          update edit_job set status = :to, updated_at = :now%s where id = :id
          returning id, updated_at)
        insert into edit_job_transition (job_id, from_status, to_status, actor, reason, at)
        select id, :from, :to, :actor, :reason, updated_at from moved
        """
            .formatted(write.assignments(params));
    params.put("to", to.name());
    params.put("from", from.name());
    params.put("now", Timestamp.from(now));
    params.put("id", id.value());
    params.put("actor", actor);
    String reason = write.reason();
    params.put("reason", reason.length() > 2000 ? reason.substring(0, 2000) : reason);
    jdbc.sql(sql).params(params).update();
  }
}
