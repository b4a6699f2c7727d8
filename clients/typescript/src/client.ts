import createClient, { type Client } from "openapi-fetch";
import {
  EditflowError,
  errorFromResponse,
  isAbort,
  isTransient,
  networkError,
} from "./errors.js";
import type { paths } from "./generated/schema.js";
import { readEvents } from "./sse.js";
import {
  isTerminal,
  type Edit,
  type EditPage,
  type EditRequest,
  type JobStatus,
  type StatusEvent,
  type Upload,
  type Usage,
  type WebhookSecret,
} from "./types.js";
import { putFile } from "./upload.js";

export interface EditflowClientOptions {
  /** Where the API is, e.g. `https://api.example.com`; `""` for the page's own origin. */
  baseUrl: string;
  /** The bearer token, or a function asked before every request (for refreshing tokens). */
  token: string | (() => string | Promise<string>);
  /** Another fetch (tests, instrumentation); the global one by default. */
  fetch?: typeof fetch;
  /** Retries of a transient failure (429 RATE_LIMITED, 503 OVERLOADED, network errors); default 4. */
  maxRetries?: number;
  /** A `Retry-After` longer than this is not waited for: the error is thrown; default 30 s. */
  maxRetryDelayMs?: number;
}

export interface CallOptions {
  signal?: AbortSignal | undefined;
}

export interface UploadOptions extends CallOptions {
  /** Called with 0…1 while the file is sent. */
  onProgress?: ((fraction: number) => void) | undefined;
  /** Defaults to the file's name when it is a File. */
  fileName?: string | undefined;
}

export interface CreateEditOptions extends CallOptions {
  /** Reused on every retry; a new UUID when not given. Pass your own to make a user's repeated click safe. */
  idempotencyKey?: string | undefined;
}

export interface WatchOptions extends CallOptions {
  /** Called once per new status, in order, starting with the status the job has now. */
  onStatus?: ((status: JobStatus, at: string) => void) | undefined;
}

export interface EditImageCallbacks extends CallOptions {
  onUploadProgress?: ((fraction: number) => void) | undefined;
  /** The job right after it was accepted: keep its id to cancel it or find it again. */
  onCreated?: ((edit: Edit) => void) | undefined;
  onStatus?: ((status: JobStatus, at: string) => void) | undefined;
  idempotencyKey?: string | undefined;
}

/** The edit parameters of {@link EditflowClient.editImage}: everything but the inputs. */
export type EditParameters = Omit<EditRequest, "inputs">;

export interface ListOptions extends CallOptions {
  status?: JobStatus | undefined;
  /** Jobs per page, 1 to 100 (default 20). */
  limit?: number | undefined;
}

const STREAM_ATTEMPTS = 3;
const POLL_FIRST_MS = 1_000;
const POLL_MAX_MS = 10_000;

/**
 * The editflow API from a browser or Node 20+. Every method throws {@link EditflowError} for a
 * failure; transient ones (429 RATE_LIMITED, 503 OVERLOADED / TEMPORARILY_UNAVAILABLE, network
 * errors) are retried after their `Retry-After` first. Quota answers (ACTIVE_JOBS_LIMIT,
 * DAILY_QUOTA_EXCEEDED, BUDGET_EXHAUSTED) are thrown at once: they last minutes to hours.
 */
export class EditflowClient {
  /** The typed client generated from the OpenAPI document, for calls this class does not wrap. */
  readonly api: Client<paths>;
  private readonly baseUrl: string;
  private readonly token: EditflowClientOptions["token"];
  private readonly fetchImpl: typeof fetch;
  private readonly maxRetries: number;
  private readonly maxRetryDelayMs: number;

  constructor(options: EditflowClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.token = options.token;
    // Looked up on every call, so a fetch replaced later (tests, instrumentation) is used too.
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.maxRetries = options.maxRetries ?? 4;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 30_000;
    this.api = createClient<paths>({ baseUrl: this.baseUrl, fetch: (request) => this.fetchImpl(request) });
    this.api.use({
      onRequest: async ({ request }) => {
        request.headers.set("Authorization", `Bearer ${await this.bearer()}`);
        return request;
      },
    });
  }

  /**
   * Uploads an image: asks for a presigned URL, then PUTs the file straight to storage with the
   * signed headers. The bytes are checked when an edit uses the upload.
   */
  async uploadImage(file: Blob, options: UploadOptions = {}): Promise<Upload> {
    const fileName = options.fileName ?? (isFile(file) ? file.name : undefined);
    const upload = await this.call(
      () =>
        this.api.POST("/v1/uploads", {
          body: {
            contentType: (file.type || "application/octet-stream") as "image/png",
            contentLength: file.size,
            ...(fileName ? { fileName: fileName.slice(0, 255) } : {}),
          },
          signal: options.signal ?? null,
        }),
      options.signal,
    );
    await putFile(upload.url, upload.headers, file, options, this.fetchImpl);
    return upload;
  }

  /**
   * Asks for an edit. The Idempotency-Key (generated when not given) is the same on every retry,
   * so a retried request never creates a second job.
   */
  async createEdit(params: EditRequest, options: CreateEditOptions = {}): Promise<Edit> {
    const key = options.idempotencyKey ?? crypto.randomUUID();
    return this.call(
      () =>
        this.api.POST("/v1/edits", {
          body: params,
          params: { header: { "Idempotency-Key": key } },
          signal: options.signal ?? null,
        }),
      options.signal,
    );
  }

  async getEdit(id: string, options: CallOptions = {}): Promise<Edit> {
    return this.call(
      () => this.api.GET("/v1/edits/{id}", { params: { path: { id } }, signal: options.signal ?? null }),
      options.signal,
    );
  }

  /** Cancels a job (also at fal). An already cancelled job is returned as it is; one that ended otherwise throws ALREADY_FINISHED. */
  async cancelEdit(id: string, options: CallOptions = {}): Promise<Edit> {
    return this.call(
      () => this.api.POST("/v1/edits/{id}/cancel", { params: { path: { id } }, signal: options.signal ?? null }),
      options.signal,
    );
  }

  /** One page of the caller's jobs, newest first. */
  async listEditPage(options: ListOptions & { cursor?: string | undefined } = {}): Promise<EditPage> {
    const query: { status?: JobStatus; limit?: number; cursor?: string } = {};
    if (options.status) query.status = options.status;
    if (options.limit) query.limit = options.limit;
    if (options.cursor) query.cursor = options.cursor;
    return this.call(
      () => this.api.GET("/v1/edits", { params: { query }, signal: options.signal ?? null }),
      options.signal,
    );
  }

  /** Every job of the caller, newest first, fetching pages as the loop goes. */
  async *listEdits(options: ListOptions = {}): AsyncGenerator<Edit, void, undefined> {
    let cursor: string | undefined;
    do {
      const page = await this.listEditPage({ ...options, cursor });
      yield* page.items;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }

  async getUsage(options: CallOptions = {}): Promise<Usage> {
    return this.call(() => this.api.GET("/v1/usage", { signal: options.signal ?? null }), options.signal);
  }

  /** The secret our webhooks to you are signed with (Standard Webhooks). */
  async getWebhookSecret(options: CallOptions = {}): Promise<WebhookSecret> {
    return this.call(() => this.api.GET("/v1/webhooks/secret", { signal: options.signal ?? null }), options.signal);
  }

  /**
   * Follows a job until it ends and resolves with the final job (outputs freshly signed). Reads
   * the server-sent events with fetch, so the bearer token is sent; resumes a dropped stream with
   * `Last-Event-ID`; falls back to polling with backoff when streams keep failing or are refused.
   * A job that FAILED is a result, not an error: check `edit.status`.
   */
  async watchEdit(id: string, options: WatchOptions = {}): Promise<Edit> {
    const { signal } = options;
    let lastStatus: JobStatus | undefined;
    const report = (status: JobStatus, at: string) => {
      if (status !== lastStatus) {
        lastStatus = status;
        options.onStatus?.(status, at);
      }
    };
    let lastEventId: string | undefined;
    let failures = 0;
    while (failures < STREAM_ATTEMPTS) {
      signal?.throwIfAborted();
      const headers: Record<string, string> = {
        Accept: "text/event-stream",
        Authorization: `Bearer ${await this.bearer()}`,
      };
      if (lastEventId !== undefined) headers["Last-Event-ID"] = lastEventId;
      let response: Response;
      try {
        response = await this.fetchImpl(`${this.baseUrl}/v1/edits/${encodeURIComponent(id)}/events`, {
          headers,
          signal: signal ?? null,
          cache: "no-store",
        });
      } catch (e) {
        if (signal?.aborted) throw signal.reason;
        failures++;
        await sleep(backoff(failures), signal);
        continue;
      }
      if (!response.ok) {
        const error = errorFromResponse(response, await readJson(response));
        if (!isTransient(error)) throw error;
        break; // refused for now (too many streams, overloaded): poll instead
      }
      if (!response.body || !(response.headers.get("Content-Type") ?? "").includes("text/event-stream")) {
        await response.body?.cancel();
        break;
      }
      let progressed = false;
      try {
        for await (const event of readEvents(response.body)) {
          if (event.event !== "status") continue;
          if (event.id !== undefined) lastEventId = event.id;
          const data = JSON.parse(event.data) as StatusEvent;
          progressed = true;
          report(data.status, data.at);
          if (isTerminal(data.status)) return await this.getEdit(id, { signal });
        }
      } catch (e) {
        if (signal?.aborted) throw signal.reason;
        if (e instanceof EditflowError) throw e;
        // the connection dropped: resume after the last event we saw
      }
      failures = progressed ? 1 : failures + 1;
      await sleep(backoff(failures), signal);
    }
    return this.pollUntilDone(id, report, signal);
  }

  /**
   * The one-call path, like fal's `subscribe`: upload the image, ask for the edit, follow it, and
   * resolve with the SUCCEEDED job. A job that ends otherwise rejects with an EditflowError whose
   * `code` is the job's error code and whose `edit` is the job.
   */
  async editImage(file: Blob, params: EditParameters, callbacks: EditImageCallbacks = {}): Promise<Edit> {
    const { signal } = callbacks;
    const upload = await this.uploadImage(file, { onProgress: callbacks.onUploadProgress, signal });
    const created = await this.createEdit(
      { ...params, inputs: [{ uploadId: upload.uploadId }] },
      { idempotencyKey: callbacks.idempotencyKey, signal },
    );
    callbacks.onCreated?.(created);
    const edit = await this.watchEdit(created.id, { onStatus: callbacks.onStatus, signal });
    if (edit.status !== "SUCCEEDED") {
      throw new EditflowError({
        status: 0,
        code: edit.error?.code ?? "UNKNOWN",
        title: `The edit ended ${edit.status}`,
        detail: edit.error?.message,
        edit,
      });
    }
    return edit;
  }

  private async pollUntilDone(
    id: string,
    report: (status: JobStatus, at: string) => void,
    signal: AbortSignal | undefined,
  ): Promise<Edit> {
    let delay = POLL_FIRST_MS;
    for (;;) {
      const edit = await this.getEdit(id, { signal });
      report(edit.status, edit.updatedAt);
      if (isTerminal(edit.status)) return edit;
      await sleep(withJitter(delay), signal);
      delay = Math.min(delay * 1.5, POLL_MAX_MS);
    }
  }

  /** Runs one API call, retrying transient failures after their Retry-After (or a backoff). */
  private async call<T>(
    send: () => Promise<{ data?: T; error?: unknown; response: Response }>,
    signal: AbortSignal | undefined,
  ): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      let error: EditflowError;
      try {
        const { data, error: body, response } = await send();
        if (response.ok && data !== undefined) return data;
        error = response.ok
          ? new EditflowError({ status: response.status, code: "UNEXPECTED_RESPONSE", title: "Empty answer" })
          : errorFromResponse(response, body);
      } catch (e) {
        if (signal?.aborted || isAbort(e)) throw signal?.reason ?? e;
        error = e instanceof EditflowError ? e : networkError(e);
      }
      const wait = error.retryAfter !== undefined ? error.retryAfter * 1000 : backoff(attempt + 1);
      if (!isTransient(error) || attempt >= this.maxRetries || wait > this.maxRetryDelayMs) throw error;
      await sleep(withJitter(wait, 0.1), signal);
    }
  }

  private async bearer(): Promise<string> {
    return typeof this.token === "function" ? await this.token() : this.token;
  }
}

function isFile(blob: Blob): blob is File {
  return typeof (blob as File).name === "string";
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return JSON.parse(await response.text());
  } catch {
    return undefined;
  }
}

/** 0.5 s, 1 s, 2 s, 4 s … at most 10 s. */
function backoff(attempt: number): number {
  return Math.min(500 * 2 ** Math.max(0, attempt - 1), 10_000);
}

/** Spreads retries of many clients apart; only ever adds to the wait (Retry-After is a minimum). */
function withJitter(ms: number, spread = 0.25): number {
  return ms * (1 + Math.random() * spread);
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
