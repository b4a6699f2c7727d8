package dev.editflow.gateway.admin;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;

/**
 * The audit trail of the admin API: every change an operator makes is a row in {@code admin_action}
 * (who, what, on what, the outcome) and a log line.
 */
@Component
class AdminAudit {

  private static final Logger LOG = LoggerFactory.getLogger(AdminAudit.class);

  /** One audited action. */
  record Action(
      long id,
      String operator,
      String action,
      String target,
      @Nullable String detail,
      Instant at) {}

  private final JdbcClient jdbc;
  private final Clock clock;

  AdminAudit(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /** The actor an operator's changes are recorded under, also in a job's transition history. */
  static String actor(Jwt operator) {
    return "operator:" + operator.getSubject();
  }

  void record(Jwt operator, String action, String target, String detail) {
    String actor = actor(operator);
    LOG.info("Operator action {} on {} by {}: {}", action, target, actor, detail);
    jdbc.sql(
            """
            insert into admin_action (operator, action, target, detail, at)
            values (:operator, :action, :target, :detail, :at)
            """)
        .param("operator", actor)
        .param("action", action)
        .param("target", target)
        .param("detail", detail.length() > 2000 ? detail.substring(0, 2000) : detail)
        .param("at", Timestamp.from(clock.instant()))
        .update();
  }

  /** What operators did to {@code target}, oldest first. */
  List<Action> on(String target) {
    return jdbc.sql(
            """
            select id, operator, action, target, detail, at from admin_action
            where target = :target order by id limit 200
            """)
        .param("target", target)
        .query(
            (rs, row) ->
                new Action(
                    rs.getLong(1),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getString(4),
                    rs.getString(5),
                    rs.getTimestamp(6).toInstant()))
        .list();
  }
}
