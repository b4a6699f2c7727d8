package dev.editflow.jobs.webhook;

import dev.editflow.model.EditJobId;
import dev.editflow.model.JobStatus;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Signing secrets and deliveries of client webhooks in PostgreSQL. A delivery is claimed with
 * {@code FOR UPDATE SKIP LOCKED} and a lease, so any number of senders share the work and a sender
 * that dies mid-attempt only delays its deliveries by the lease.
 */
public class ClientWebhooks {

  /** After a rotation the old secret still signs for this long, so receivers can switch over. */
  public static final Duration ROTATION_GRACE = Duration.ofHours(24);

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String RECORD_COLUMNS =
      """
      id, job_id, owner_id, url, event_type, status, attempts, last_http_status, last_error,
      created_at, next_attempt_at, finished_at
      """;
  private static final String RESEND =
      """
      update webhook_delivery set status = 'PENDING', attempts = 0, next_attempt_at = :now,
        finished_at = null
      """;

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final Clock clock;

  public ClientWebhooks(JdbcClient jdbc, TransactionTemplate transactions, Clock clock) {
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.clock = clock;
  }

  /**
   * Owes the job's client a webhook if it asked for one; runs in the transaction that ends the job.
   * A job ends once, so a job has at most one delivery.
   */
  public void onFinished(EditJobId job, JobStatus status) {
    jdbc.sql(
            """
            insert into webhook_delivery
              (id, job_id, owner_id, url, event_type, next_attempt_at, created_at)
            select :id, id, owner_id, webhook_url, :type, :now, :now
            from edit_job where id = :job and webhook_url is not null
            on conflict (id) do nothing
            """)
        .param("id", "msg_" + job.value())
        .param("type", eventType(status))
        .param("now", Timestamp.from(clock.instant()))
        .param("job", job.value())
        .update();
  }

  /** The event type a client receives for a job that ended as {@code status}. */
  public static String eventType(JobStatus status) {
    return "edit." + status.name().toLowerCase(Locale.ROOT);
  }

  /** The user's current signing secret, created on first use ({@code whsec_} + base64). */
  public String secretOf(String ownerId) {
    jdbc.sql(
            """
            insert into webhook_secret (owner_id, secret, created_at) values (:owner, :secret, :now)
            on conflict (owner_id) do nothing
            """)
        .param("owner", ownerId)
        .param("secret", newSecret())
        .param("now", Timestamp.from(clock.instant()))
        .update();
    return jdbc.sql("select secret from webhook_secret where owner_id = :owner")
        .param("owner", ownerId)
        .query(String.class)
        .single();
  }

  /** Replaces the user's secret; the old one keeps signing for {@link #ROTATION_GRACE}. */
  public String rotateSecret(String ownerId) {
    secretOf(ownerId);
    String secret = newSecret();
    jdbc.sql(
            """
            update webhook_secret set previous_secret = secret, secret = :secret, rotated_at = :now
            where owner_id = :owner
            """)
        .param("owner", ownerId)
        .param("secret", secret)
        .param("now", Timestamp.from(clock.instant()))
        .update();
    return secret;
  }

  /** The secrets a webhook to this user is signed with now: the current one, then the previous. */
  public List<String> signingSecrets(String ownerId) {
    Instant graceStart = clock.instant().minus(ROTATION_GRACE);
    List<String> secrets = new ArrayList<>();
    jdbc.sql("select secret, previous_secret, rotated_at from webhook_secret where owner_id = :o")
        .param("o", ownerId)
        .query(
            rs -> {
              secrets.add(rs.getString(1));
              Timestamp rotatedAt = rs.getTimestamp(3);
              if (rs.getString(2) != null
                  && rotatedAt != null
                  && rotatedAt.toInstant().isAfter(graceStart)) {
                secrets.add(rs.getString(2));
              }
            });
    if (secrets.isEmpty()) {
      secrets.add(secretOf(ownerId));
    }
    return secrets;
  }

  /** Claims up to {@code limit} due deliveries for one attempt each, leased for {@code lease}. */
  public List<WebhookDelivery> claimDue(int limit, Duration lease) {
    List<WebhookDelivery> claimed =
        transactions.execute(
            tx -> {
              Instant now = clock.instant();
              List<WebhookDelivery> due =
                  jdbc.sql(
                          """
                          select id, job_id, owner_id, url, event_type, attempts
                          from webhook_delivery
                          where status = 'PENDING' and next_attempt_at <= :now
                          order by next_attempt_at limit :limit
                          for update skip locked
                          """)
                      .param("now", Timestamp.from(now))
                      .param("limit", limit)
                      .query(
                          (rs, row) ->
                              new WebhookDelivery(
                                  rs.getString(1),
                                  new EditJobId(rs.getString(2)),
                                  rs.getString(3),
                                  rs.getString(4),
                                  rs.getString(5),
                                  rs.getInt(6)))
                      .list();
              if (!due.isEmpty()) {
                jdbc.sql("update webhook_delivery set next_attempt_at = :until where id in (:ids)")
                    .param("until", Timestamp.from(now.plus(lease)))
                    .param("ids", due.stream().map(WebhookDelivery::id).toList())
                    .update();
              }
              return due;
            });
    return claimed == null ? List.of() : claimed;
  }

  /** The client acknowledged the delivery with a 2xx. */
  public void delivered(WebhookDelivery delivery, int httpStatus) {
    finish(delivery, "DELIVERED", httpStatus, null);
  }

  /**
   * An attempt failed; try again at {@code retryAt}, or give up when it is {@code null}.
   *
   * @param httpStatus the client's answer, or {@code null} if there was none
   */
  public void attemptFailed(
      WebhookDelivery delivery,
      @Nullable Integer httpStatus,
      String error,
      @Nullable Instant retryAt) {
    if (retryAt == null) {
      finish(delivery, "FAILED", httpStatus, error);
      return;
    }
    jdbc.sql(
            """
            update webhook_delivery set attempts = attempts + 1, next_attempt_at = :at,
              last_http_status = :status, last_error = :error
            where id = :id and status = 'PENDING'
            """)
        .param("at", Timestamp.from(retryAt))
        .param("status", httpStatus)
        .param("error", error)
        .param("id", delivery.id())
        .update();
  }

  /** The job's deliveries (at most one today), oldest first. */
  public List<DeliveryRecord> ofJob(EditJobId job) {
    return jdbc.sql(
            "select "
                + RECORD_COLUMNS
                + " from webhook_delivery where job_id = :job order by created_at")
        .param("job", job.value())
        .query(ClientWebhooks::record)
        .list();
  }

  public Optional<DeliveryRecord> find(String id) {
    return jdbc.sql("select " + RECORD_COLUMNS + " from webhook_delivery where id = :id")
        .param("id", id)
        .query(ClientWebhooks::record)
        .optional();
  }

  /**
   * A page of the deliveries that were given up, by id.
   *
   * @param afterId the last id of the previous page, or {@literal null} for the first page
   */
  public List<DeliveryRecord> failed(int limit, @Nullable String afterId) {
    return jdbc.sql(
            "select "
                + RECORD_COLUMNS
                + " from webhook_delivery where status = 'FAILED'"
                + (afterId == null ? "" : " and id > :after")
                + " order by id limit :limit")
        .params(afterId == null ? Map.of() : Map.of("after", afterId))
        .param("limit", limit)
        .query(ClientWebhooks::record)
        .list();
  }

  /**
   * Sends a finished delivery again, from the first step of the retry schedule and with the same
   * {@code webhook-id} (a receiver that already has it may ignore it). A delivery still pending is
   * left alone, so a repeated call changes nothing.
   *
   * @return {@literal true} if this call made it pending again
   */
  public boolean resend(String id) {
    return jdbc.sql(RESEND + " where id = :id and status in ('FAILED', 'DELIVERED')")
            .param("id", id)
            .param("now", Timestamp.from(clock.instant()))
            .update()
        == 1;
  }

  /**
   * {@link #resend} for up to {@code limit} given-up deliveries.
   *
   * @return the ids made pending again
   */
  public List<String> resendFailed(int limit) {
    return jdbc.sql(
            RESEND
                + """
                 where id in (select id from webhook_delivery where status = 'FAILED'
                  order by id limit :limit for update skip locked)
                returning id
                """)
        .param("limit", limit)
        .param("now", Timestamp.from(clock.instant()))
        .query(String.class)
        .list();
  }

  private static DeliveryRecord record(ResultSet rs, int row) throws SQLException {
    int http = rs.getInt("last_http_status");
    Integer lastHttpStatus = rs.wasNull() ? null : http;
    return new DeliveryRecord(
        rs.getString("id"),
        new EditJobId(rs.getString("job_id")),
        rs.getString("owner_id"),
        rs.getString("url"),
        rs.getString("event_type"),
        rs.getString("status"),
        rs.getInt("attempts"),
        lastHttpStatus,
        rs.getString("last_error"),
        rs.getTimestamp("created_at").toInstant(),
        instant(rs.getTimestamp("next_attempt_at")),
        instant(rs.getTimestamp("finished_at")));
  }

  private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }

  private void finish(
      WebhookDelivery delivery,
      String status,
      @Nullable Integer httpStatus,
      @Nullable String error) {
    jdbc.sql(
            """
            update webhook_delivery set status = :status, attempts = attempts + 1,
              next_attempt_at = null, last_http_status = :http, last_error = :error,
              finished_at = :now
            where id = :id and status = 'PENDING'
            """)
        .param("status", status)
        .param("http", httpStatus)
        .param("error", error)
        .param("now", Timestamp.from(clock.instant()))
        .param("id", delivery.id())
        .update();
  }

  private static String newSecret() {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return "whsec_" + Base64.getEncoder().encodeToString(key);
  }
}
