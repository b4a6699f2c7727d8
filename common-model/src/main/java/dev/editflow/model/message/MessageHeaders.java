package dev.editflow.model.message;

/** AMQP header names editflow writes on every message, and on parked ones. */
public final class MessageHeaders {

  /** The message's {@link MessageType#typeName()}. */
  public static final String TYPE = "x-editflow-type";

  /** The message's contract version, an integer. */
  public static final String VERSION = "x-editflow-version";

  /** Why a message was parked: a short, stable reason code. */
  public static final String PARK_REASON = "x-editflow-park-reason";

  /** Human-readable detail of the park reason (exception message, truncated). */
  public static final String PARK_DETAIL = "x-editflow-park-detail";

  /** The queue the message was consumed from before it was parked; replay sends it back there. */
  public static final String PARKED_FROM_QUEUE = "x-editflow-parked-from";

  /** When the message was parked, ISO-8601. */
  public static final String PARKED_AT = "x-editflow-parked-at";

  /** How many times a transient failure sent the message through a retry queue. */
  public static final String RETRY_COUNT = "x-editflow-retry-count";

  private MessageHeaders() {}
}
