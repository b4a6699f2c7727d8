package dev.editflow.worker.submit;

import dev.editflow.worker.jobs.SubmitStarts;
import dev.editflow.worker.system.WorkerSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Hands free fal slots to the jobs waiting for one, in fair-share order (the job store's {@code
 * FalWaitRoom}). Every replica runs it; the job store's advisory lock makes the rounds take turns,
 * so a slot is never handed out twice and every replica follows the same order.
 */
@Component
class FalSlots implements SchedulingConfigurer {

  private static final Logger LOG = LoggerFactory.getLogger(FalSlots.class);

  private final SubmitStarts starts;
  private final WorkerSettings settings;

  FalSlots(SubmitStarts starts, WorkerSettings settings) {
    this.starts = starts;
    this.settings = settings;
  }

  @Override
  public void configureTasks(ScheduledTaskRegistrar tasks) {
    tasks.addFixedDelayTask(this::releaseWaitingJobs, settings.falSlotInterval());
  }

  void releaseWaitingJobs() {
    if (settings.falConcurrency() <= 0) {
      return;
    }
    try {
      int released = starts.releaseWaiting(settings.falConcurrency());
      if (released > 0) {
        LOG.debug("{} waiting job(s) got a fal slot.", released);
      }
    } catch (RuntimeException e) {
      LOG.warn("Handing out fal slots failed, trying again next round: {}", e.toString());
    }
  }
}
