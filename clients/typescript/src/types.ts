import type { components } from "./generated/schema.js";

type Schemas = components["schemas"];

/** An edit job, as `GET /v1/edits/{id}` answers it. */
export type Edit = Schemas["Edit"];
export type EditOutput = Schemas["EditOutput"];
/** Why a job FAILED, was CANCELLED or TIMED_OUT; `message` is safe to show to users. */
export type EditError = Schemas["EditError"];
export type EditPage = Schemas["EditPage"];
/** The body of `POST /v1/edits`. */
export type EditRequest = Schemas["EditRequest"];
export type EditInput = Schemas["EditInput"];
export type JobStatus = Schemas["JobStatus"];
/** The `code` of a failed job (`edit.error.code`). */
export type JobErrorCode = Schemas["ErrorCode"];
/** The `code` of an API problem (an HTTP error answer). */
export type ProblemCode = Schemas["ProblemCode"];
export type Problem = Schemas["Problem"];
export type Upload = Schemas["Upload"];
export type Usage = Schemas["Usage"];
export type UsageLimits = Schemas["UsageLimits"];
export type StatusEvent = Schemas["StatusEvent"];
export type WebhookSecret = Schemas["WebhookSecret"];

/** The statuses a job never leaves. */
export const TERMINAL_STATUSES: readonly JobStatus[] = ["SUCCEEDED", "FAILED", "CANCELLED", "TIMED_OUT"];

export function isTerminal(status: JobStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}
