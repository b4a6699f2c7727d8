package dev.editflow.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.editflow.jobs.usage.LimitExceeded;
import dev.editflow.jobs.usage.LimitExceeded.Limit;
import dev.editflow.jobs.usage.Usage;
import dev.editflow.jobs.usage.UsageLimits;
import dev.editflow.model.EditJobId;
import dev.editflow.model.ErrorCode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

class UsageIT extends JobStoreIntegrationTest {

  @Autowired EditJobs jobs;
  @Autowired Usage usage;
  @Autowired JdbcClient jdbc;

  @Test
  void hundredConcurrentSubmitsNeverExceedTheDailyImageQuotaByOne() throws Exception {
    String owner = "racer-" + UUID.randomUUID();
    UsageLimits limits = new UsageLimits(1000, 10, new BigDecimal("100000"));

    List<Boolean> outcomes = race(100, () -> tryCreate(owner, limits));

    assertThat(outcomes.stream().filter(accepted -> accepted)).hasSize(10);
    assertThat(jobsOf(owner)).isEqualTo(10);
    assertThat(usage.snapshot(owner).imagesToday()).isEqualTo(10);
  }

  @Test
  void hundredConcurrentSubmitsNeverExceedTheActiveJobLimitByOne() throws Exception {
    String owner = "active-" + UUID.randomUUID();
    UsageLimits limits = new UsageLimits(3, 1000, new BigDecimal("100000"));

    List<Boolean> outcomes = race(100, () -> tryCreate(owner, limits));

    assertThat(outcomes.stream().filter(accepted -> accepted)).hasSize(3);
    assertThat(usage.snapshot(owner).activeJobs()).isEqualTo(3);
  }

  @Test
  void aFailedOrCancelledJobGivesItsImagesBackAndASucceededOneKeepsThem() {
    String owner = "release-" + UUID.randomUUID();
    UsageLimits limits = new UsageLimits(10, 2, new BigDecimal("100000"));
    EditJobId first = jobs.create(job(owner), "test", limits).id();
    EditJobId second = jobs.create(job(owner), "test", limits).id();
    assertThatThrownBy(() -> jobs.create(job(owner), "test", limits))
        .isInstanceOf(LimitExceeded.class)
        .extracting(e -> ((LimitExceeded) e).limit())
        .isEqualTo(Limit.DAILY_IMAGES);

    jobs.move(first, new Transition.Failed(ErrorCode.CONTENT_POLICY, "blocked", "worker"));
    jobs.move(second, new Transition.Cancelled("user", "cancel"));
    jobs.move(second, new Transition.Cancelled("user", "cancel again"));

    assertThat(usage.snapshot(owner).imagesToday()).isZero();
    jobs.create(job(owner), "test", limits);
    jobs.create(job(owner), "test", limits);
    assertThat(usage.snapshot(owner).imagesToday()).isEqualTo(2);
  }

  @Test
  void theGlobalBudgetStopsEveryoneOnceReached() {
    BigDecimal spent = usage.globalSpendToday();
    UsageLimits limits = new UsageLimits(100, 100, spent.add(new BigDecimal("0.30")));

    jobs.create(job("budget-a-" + UUID.randomUUID()), "test", limits);
    jobs.create(job("budget-b-" + UUID.randomUUID()), "test", limits);

    assertThatThrownBy(() -> jobs.create(job("budget-c-" + UUID.randomUUID()), "test", limits))
        .isInstanceOf(LimitExceeded.class)
        .extracting(e -> ((LimitExceeded) e).limit())
        .isEqualTo(Limit.DAILY_BUDGET);
  }

  @Test
  void aRejectedJobLeavesNoTrace() {
    String owner = "trace-" + UUID.randomUUID();
    NewEditJob tooMany = job(owner);
    UsageLimits none = new UsageLimits(0, 10, new BigDecimal("100"));

    assertThatThrownBy(() -> jobs.create(tooMany, "test", none)).isInstanceOf(LimitExceeded.class);

    assertThat(jobs.find(tooMany.id())).isEmpty();
    assertThat(
            jdbc.sql("select count(*) from outbox_message where job_id = :id")
                .param("id", tooMany.id().value())
                .query(Integer.class)
                .single())
        .isZero();
    assertThat(usage.snapshot(owner).imagesToday()).isZero();
  }

  @Test
  void countsRequestsPerMinuteExactlyUnderConcurrency() throws Exception {
    String owner = "rate-" + UUID.randomUUID();

    List<Boolean> outcomes =
        race(
            100,
            () -> {
              try {
                usage.countRequest(owner, 30);
                return true;
              } catch (LimitExceeded e) {
                assertThat(e.retryAfter()).isPositive();
                return false;
              }
            });

    assertThat(outcomes.stream().filter(allowed -> allowed)).hasSize(30);
  }

  private boolean tryCreate(String owner, UsageLimits limits) {
    try {
      jobs.create(job(owner), "test", limits);
      return true;
    } catch (LimitExceeded e) {
      return false;
    }
  }

  private static NewEditJob job(String owner) {
    return Jobs.aNewJob(owner);
  }

  private static List<Boolean> race(int n, Callable<Boolean> task) throws Exception {
    List<Callable<Boolean>> tasks = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      tasks.add(task);
    }
    List<Boolean> outcomes = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
      for (Future<Boolean> result : pool.invokeAll(tasks)) {
        outcomes.add(result.get());
      }
    }
    return outcomes;
  }

  private int jobsOf(String owner) {
    return jdbc.sql("select count(*) from edit_job where owner_id = :owner")
        .param("owner", owner)
        .query(Integer.class)
        .single();
  }
}
