package dev.editflow.systemtests;

/**
 * What the soak samples, and how much growth over its second half fails it: more than {@code
 * relative} of the level (the median over that half) and more than {@code absolute} (so a small
 * level's noise does not fail). Job rows grow with the load by design and are only shown.
 */
enum SoakMetric {
  HEAP_AFTER_GC("heap after GC MB", true, 0.10, 16),
  LIVE_THREADS("live threads", true, 0.10, 5),
  OPEN_FILES("open files", true, 0.10, 10),
  DB_POOL("db pool connections", true, 0, 2),
  DB_SESSIONS("db sessions", false, 0, 5),
  BROKER_CONNECTIONS("broker connections", false, 0, 2),
  BROKER_CHANNELS("broker channels", false, 0.10, 5),
  OUTBOX("outbox rows", false, 0, 50),
  PARKING_LOT("parking-lot messages", false, 0, 1),
  UNFINISHED_JOBS("unfinished jobs", false, 0.25, 20),
  JOB_ROWS("edit_job rows", false, Double.NaN, Double.NaN),
  TRANSITION_ROWS("edit_job_transition rows", false, Double.NaN, Double.NaN),
  OUTPUT_ROWS("edit_output rows", false, Double.NaN, Double.NaN);

  final String label;

  /** Sampled per process: a replacement process starts its own series. */
  final boolean perProcess;

  final double relative;
  final double absolute;

  SoakMetric(String label, boolean perProcess, double relative, double absolute) {
    this.label = label;
    this.perProcess = perProcess;
    this.relative = relative;
    this.absolute = absolute;
  }

  boolean judged() {
    return !Double.isNaN(absolute);
  }

  /** The growth over the second half this metric may show at {@code level}. */
  double limit(double level) {
    return Math.max(relative * level, absolute);
  }
}
