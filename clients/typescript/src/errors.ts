import type { JobErrorCode, Problem, ProblemCode } from "./types.js";

/** Failures that happen before or outside an API answer. */
export type ClientErrorCode =
  /** The network failed (offline, DNS, connection reset) and retries did not help. */
  | "NETWORK_ERROR"
  /** Storage refused the file PUT (e.g. a signature mismatch or an expired upload URL). */
  | "UPLOAD_FAILED"
  /** An answer that is not what the API sends (e.g. an HTML page from a proxy). */
  | "UNEXPECTED_RESPONSE";

export type EditflowErrorCode = ProblemCode | JobErrorCode | ClientErrorCode;

/**
 * Every failure of this client: an API problem (`status` is its HTTP status), a job that ended
 * without outputs (`status` 0, `code` the job's error code, `edit` the job), or a client-side
 * failure. Switch on `code`; `friendlyMessage(error)` has a sentence for end users.
 */
export class EditflowError extends Error {
  override readonly name = "EditflowError";
  /** HTTP status of the answer; 0 when there was none. */
  readonly status: number;
  readonly code: EditflowErrorCode;
  readonly title: string;
  readonly detail: string | undefined;
  /** Seconds the server asked us to wait (`Retry-After`), if it did. */
  readonly retryAfter: number | undefined;
  /** The invalid fields of a VALIDATION_FAILED answer. */
  readonly fieldErrors: readonly { field: string; message: string }[];
  /** The job, when a job ended without outputs. */
  readonly edit: import("./types.js").Edit | undefined;

  constructor(init: {
    status: number;
    code: EditflowErrorCode;
    title: string;
    detail?: string | undefined;
    retryAfter?: number | undefined;
    fieldErrors?: readonly { field: string; message: string }[];
    edit?: import("./types.js").Edit;
    cause?: unknown;
  }) {
    super(init.detail ? `${init.title}: ${init.detail}` : init.title, { cause: init.cause });
    this.status = init.status;
    this.code = init.code;
    this.title = init.title;
    this.detail = init.detail;
    this.retryAfter = init.retryAfter;
    this.fieldErrors = init.fieldErrors ?? [];
    this.edit = init.edit;
  }
}

/** Seconds of a `Retry-After` header (delta-seconds or an HTTP date). */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

/** The error an answer that is not 2xx stands for; `body` is its parsed JSON, if any. */
export function errorFromResponse(response: Response, body: unknown): EditflowError {
  const retryAfter = parseRetryAfter(response.headers.get("Retry-After"));
  if (isProblem(body)) {
    return new EditflowError({
      status: response.status,
      code: body.code,
      title: body.title,
      detail: body.detail,
      retryAfter,
      fieldErrors: body.errors ?? [],
    });
  }
  return new EditflowError({
    status: response.status,
    code: "UNEXPECTED_RESPONSE",
    title: `Unexpected answer ${response.status}${response.statusText ? " " + response.statusText : ""}`,
    retryAfter,
  });
}

function isProblem(body: unknown): body is Problem {
  return (
    typeof body === "object" &&
    body !== null &&
    typeof (body as Problem).code === "string" &&
    typeof (body as Problem).title === "string"
  );
}

export function networkError(cause: unknown): EditflowError {
  return new EditflowError({
    status: 0,
    code: "NETWORK_ERROR",
    title: "The network request failed",
    detail: cause instanceof Error ? cause.message : String(cause),
    cause,
  });
}

/** Whether waiting a little and sending the same request again can succeed. */
export function isTransient(error: EditflowError): boolean {
  switch (error.code) {
    case "RATE_LIMITED":
    case "OVERLOADED":
    case "TEMPORARILY_UNAVAILABLE":
    case "TOO_MANY_STREAMS":
    // Our own earlier attempt with the same Idempotency-Key is still being stored.
    case "IDEMPOTENCY_IN_FLIGHT":
    case "NETWORK_ERROR":
      return true;
    case "UNEXPECTED_RESPONSE":
      // A proxy's 502/503/504 page: the request never reached the API.
      return error.status === 502 || error.status === 503 || error.status === 504;
    default:
      return false;
  }
}

export function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError");
}

const FRIENDLY: Partial<Record<EditflowErrorCode, string>> = {
  UNAUTHENTICATED: "Your session has expired. Please sign in again.",
  UNSUPPORTED_IMAGE_TYPE: "Please choose a PNG, JPEG or WebP image.",
  UPLOAD_TOO_LARGE: "This image is too large. The limit is 50 MB.",
  UPLOAD_NOT_AN_IMAGE: "This file is not an image we can edit. Please choose a PNG, JPEG or WebP image.",
  UPLOAD_EXPIRED: "The upload took too long. Please choose the image again.",
  UPLOAD_INCOMPLETE: "The image did not finish uploading. Please try again.",
  UPLOAD_NOT_FOUND: "The uploaded image is gone. Please choose it again.",
  UPLOAD_FAILED: "The image could not be uploaded. Please try again.",
  UNKNOWN_MODEL: "This model is not available.",
  URL_NOT_ALLOWED: "Images can only come from your uploads.",
  WEBHOOK_URL_NOT_ALLOWED: "This webhook URL is not allowed.",
  VALIDATION_FAILED: "Some of the settings are not valid.",
  RATE_LIMITED: "You are going a bit fast. Please wait a moment and try again.",
  ACTIVE_JOBS_LIMIT: "You have too many edits running. Wait for one to finish, or cancel one, then try again.",
  DAILY_QUOTA_EXCEEDED: "You have used today's image quota. Please come back tomorrow.",
  BUDGET_EXHAUSTED: "The service has reached today's budget. Please try again tomorrow.",
  OVERLOADED: "The service is busy right now. Please try again in a moment.",
  TEMPORARILY_UNAVAILABLE: "The service is briefly unavailable. Please try again in a moment.",
  TOO_MANY_STREAMS: "Too many edits are being followed at once. Close a tab and try again.",
  JOB_NOT_FOUND: "This edit does not exist, or it is not yours.",
  ALREADY_FINISHED: "This edit has already finished.",
  NETWORK_ERROR: "We could not reach the service. Check your connection and try again.",
  CONTENT_POLICY: "The model declined this request because of its content policy. Try a different prompt or image.",
  INPUT_REJECTED: "The model could not work with this image or instruction. Try a different one.",
  PROVIDER_UNAVAILABLE: "The image model is unavailable right now. Please try again later.",
  PROVIDER_TIMEOUT: "The image model did not start in time. Please try again.",
  QUOTA_EXCEEDED: "The image model is at capacity right now. Please try again later.",
  DEADLINE_EXCEEDED: "The edit took too long and was stopped. Please try again.",
  CANCELLED: "The edit was cancelled.",
};

/**
 * A sentence for end users: never a raw body or a stack trace. A failed job's own message (which
 * the API writes for end users) is preferred when there is one.
 */
export function friendlyMessage(error: unknown): string {
  if (error instanceof EditflowError) {
    if (error.edit?.error?.message) return error.edit.error.message;
    return FRIENDLY[error.code] ?? "Something went wrong. Please try again.";
  }
  if (isAbort(error)) return "Stopped.";
  return "Something went wrong. Please try again.";
}
