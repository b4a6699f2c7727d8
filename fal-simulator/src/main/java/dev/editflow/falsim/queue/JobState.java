package dev.editflow.falsim.queue;

/** The only three states fal documents; a failed or cancelled job is COMPLETED with an error. */
public enum JobState {
  IN_QUEUE,
  IN_PROGRESS,
  COMPLETED
}
