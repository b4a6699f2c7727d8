import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { EditflowClient, EditflowError, friendlyMessage, type JobStatus } from "../src/index.js";
import { edit, fakeApi, json, problem, sse } from "./fake-api.js";

const servers: { close: () => Promise<void> }[] = [];
after(() => Promise.all(servers.map((s) => s.close())));

async function api(handler: Parameters<typeof fakeApi>[0]) {
  const server = await fakeApi(handler);
  servers.push(server);
  const client = new EditflowClient({ baseUrl: server.url, token: "t0ken" });
  return { ...server, client };
}

describe("createEdit", () => {
  it("sends a generated Idempotency-Key and the same key on a retry after Retry-After", async () => {
    const { client, seen } = await api((_req, res, _body, seen) => {
      if (seen.length === 1) return problem(res, 503, "OVERLOADED", { "Retry-After": "1" });
      json(res, 202, edit("ed_1", "QUEUED"), { Location: "/v1/edits/ed_1" });
    });

    const created = await client.createEdit({ prompt: "make the sky purple", inputs: [{ uploadId: "up_1" }] });

    assert.equal(created.id, "ed_1");
    assert.equal(seen.length, 2);
    const [first, second] = seen;
    assert.match(String(first!.headers["idempotency-key"]), /^[0-9a-f-]{36}$/);
    assert.equal(second!.headers["idempotency-key"], first!.headers["idempotency-key"]);
    assert.equal(second!.headers["authorization"], "Bearer t0ken");
    assert.deepEqual(JSON.parse(second!.body), { prompt: "make the sky purple", inputs: [{ uploadId: "up_1" }] });
    assert.ok(second!.at - first!.at >= 1000, `retried after ${second!.at - first!.at} ms, before Retry-After`);
  });

  it("uses the caller's Idempotency-Key", async () => {
    const { client, seen } = await api((_req, res) => json(res, 200, edit("ed_1", "QUEUED")));
    await client.createEdit({ prompt: "p", inputs: [{ uploadId: "up_1" }] }, { idempotencyKey: "click-42" });
    assert.equal(seen[0]!.headers["idempotency-key"], "click-42");
  });

  it("never retries a 4xx and throws it as a typed EditflowError", async () => {
    const { client, seen } = await api((_req, res) => problem(res, 422, "UPLOAD_NOT_AN_IMAGE"));

    const error = await client.createEdit({ prompt: "p", inputs: [{ uploadId: "up_1" }] }).catch((e) => e);

    assert.ok(error instanceof EditflowError);
    assert.equal(error.status, 422);
    assert.equal(error.code, "UPLOAD_NOT_AN_IMAGE");
    assert.equal(error.title, "title of UPLOAD_NOT_AN_IMAGE");
    assert.equal(error.detail, "detail of UPLOAD_NOT_AN_IMAGE");
    assert.equal(seen.length, 1);
    assert.match(friendlyMessage(error), /not an image/);
  });

  it("throws quota answers at once, with their Retry-After", async () => {
    const { client, seen } = await api((_req, res) => problem(res, 429, "ACTIVE_JOBS_LIMIT", { "Retry-After": "30" }));

    const error = await client.createEdit({ prompt: "p", inputs: [{ uploadId: "up_1" }] }).catch((e) => e);

    assert.equal(error.code, "ACTIVE_JOBS_LIMIT");
    assert.equal(error.retryAfter, 30);
    assert.equal(seen.length, 1);
  });

  it("gives up on a transient failure after maxRetries", async () => {
    const server = await fakeApi((_req, res) => problem(res, 429, "RATE_LIMITED", { "Retry-After": "0" }));
    servers.push(server);
    const client = new EditflowClient({ baseUrl: server.url, token: "t", maxRetries: 2 });

    const error = await client.createEdit({ prompt: "p", inputs: [{ uploadId: "up_1" }] }).catch((e) => e);

    assert.equal(error.code, "RATE_LIMITED");
    assert.equal(server.seen.length, 3);
    assert.equal(new Set(server.seen.map((s) => s.headers["idempotency-key"])).size, 1);
  });

  it("turns a proxy's HTML error page into UNEXPECTED_RESPONSE", async () => {
    const server = await fakeApi((_req, res) => res.writeHead(502, { "Content-Type": "text/html" }).end("<h1>Bad gateway</h1>"));
    servers.push(server);
    const client = new EditflowClient({ baseUrl: server.url, token: "t", maxRetries: 1 });

    const error = await client.getEdit("ed_1").catch((e) => e);

    assert.equal(error.code, "UNEXPECTED_RESPONSE");
    assert.equal(error.status, 502);
    assert.equal(server.seen.length, 2);
  });
});

describe("uploadImage", () => {
  it("asks for an upload URL and PUTs the file with the signed headers", async () => {
    const storage = await fakeApi((_req, res) => res.writeHead(200).end());
    servers.push(storage);
    const { client, seen } = await api((_req, res) =>
      json(res, 201, {
        uploadId: "up_1",
        url: `${storage.url}/editflow/uploads/up_1?X-Amz-Signature=abc`,
        method: "PUT",
        headers: { "Content-Type": "image/png" },
        expiresAt: "2026-11-25T10:15:00Z",
        maxBytes: 52428800,
      }),
    );
    const progress: number[] = [];
    const file = new File([new Uint8Array([137, 80, 78, 71, 1, 2, 3])], "beach.png", { type: "image/png" });

    const upload = await client.uploadImage(file, { onProgress: (p) => progress.push(p) });

    assert.equal(upload.uploadId, "up_1");
    assert.deepEqual(JSON.parse(seen[0]!.body), { contentType: "image/png", contentLength: 7, fileName: "beach.png" });
    const put = storage.seen[0]!;
    assert.equal(put.method, "PUT");
    assert.equal(put.path, "/editflow/uploads/up_1?X-Amz-Signature=abc");
    assert.equal(put.headers["content-type"], "image/png");
    assert.equal(put.headers["content-length"], "7");
    assert.equal(put.headers["authorization"], undefined, "the bearer token must not go to storage");
    assert.deepEqual(progress, [0, 1]);
  });

  it("reports a refused PUT as UPLOAD_FAILED", async () => {
    const storage = await fakeApi((_req, res) => res.writeHead(403, { "Content-Type": "application/xml" }).end("<Error/>"));
    servers.push(storage);
    const { client } = await api((_req, res) =>
      json(res, 201, { uploadId: "up_1", url: `${storage.url}/u`, method: "PUT", headers: {}, expiresAt: "x", maxBytes: 1 }),
    );

    const error = await client.uploadImage(new Blob(["x"], { type: "image/png" })).catch((e) => e);

    assert.equal(error.code, "UPLOAD_FAILED");
    assert.equal(error.status, 403);
  });
});

describe("watchEdit", () => {
  it("follows the event stream, resumes a dropped one with Last-Event-ID and returns the final job", async () => {
    let streams = 0;
    const { client, seen } = await api((req, res) => {
      if (req.url === "/v1/edits/ed_1/events") {
        streams++;
        res.writeHead(200, { "Content-Type": "text/event-stream" });
        if (streams === 1) {
          sse(res, [{ id: 1, status: "QUEUED" }, { id: 2, status: "SUBMITTED" }]);
          return void setTimeout(() => res.destroy(), 100); // the connection drops mid-job
        }
        sse(res, [{ id: 3, status: "IN_PROGRESS" }, { id: 4, status: "ARCHIVING" }, { id: 5, status: "SUCCEEDED" }]);
        return void res.end();
      }
      json(res, 200, edit("ed_1", "SUCCEEDED", { outputs: [{ url: "http://s3/o.png", contentType: "image/png", width: 1, height: 1, bytes: 1, sha256: "x" }] }));
    });
    const statuses: JobStatus[] = [];

    const done = await client.watchEdit("ed_1", { onStatus: (s) => statuses.push(s) });

    assert.deepEqual(statuses, ["QUEUED", "SUBMITTED", "IN_PROGRESS", "ARCHIVING", "SUCCEEDED"]);
    assert.equal(done.status, "SUCCEEDED");
    assert.equal(done.outputs.length, 1);
    const eventRequests = seen.filter((s) => s.path.endsWith("/events"));
    assert.equal(eventRequests[0]!.headers["last-event-id"], undefined);
    assert.equal(eventRequests[1]!.headers["last-event-id"], "2");
    assert.equal(eventRequests[1]!.headers["authorization"], "Bearer t0ken");
  });

  it("falls back to polling when streams are refused", async () => {
    let polls = 0;
    const { client, seen } = await api((req, res) => {
      if (req.url?.endsWith("/events")) return problem(res, 429, "TOO_MANY_STREAMS", { "Retry-After": "5" });
      polls++;
      json(res, 200, edit("ed_1", polls < 2 ? "IN_PROGRESS" : "SUCCEEDED"));
    });
    const statuses: JobStatus[] = [];

    const done = await client.watchEdit("ed_1", { onStatus: (s) => statuses.push(s) });

    assert.equal(done.status, "SUCCEEDED");
    assert.deepEqual(statuses, ["IN_PROGRESS", "SUCCEEDED"]);
    assert.equal(seen.filter((s) => s.path.endsWith("/events")).length, 1);
  });

  it("throws JOB_NOT_FOUND instead of polling a job that is not the caller's", async () => {
    const { client } = await api((_req, res) => problem(res, 404, "JOB_NOT_FOUND"));
    const error = await client.watchEdit("ed_nope").catch((e) => e);
    assert.equal(error.code, "JOB_NOT_FOUND");
  });

  it("stops when its signal is aborted", async () => {
    const { client } = await api((_req, res) => {
      res.writeHead(200, { "Content-Type": "text/event-stream" });
      sse(res, [{ id: 1, status: "QUEUED" }]); // and never more
    });
    const controller = new AbortController();
    const watching = client.watchEdit("ed_1", { signal: controller.signal, onStatus: () => controller.abort() });
    await assert.rejects(watching, (e: Error) => e.name === "AbortError");
  });
});

describe("editImage", () => {
  it("uploads, creates and follows, and rejects with the job's error code when it fails", async () => {
    const storage = await fakeApi((_req, res) => res.writeHead(200).end());
    servers.push(storage);
    const { client, seen } = await api((req, res) => {
      if (req.url === "/v1/uploads")
        return json(res, 201, { uploadId: "up_9", url: `${storage.url}/u`, method: "PUT", headers: { "Content-Type": "image/png" }, expiresAt: "x", maxBytes: 9 });
      if (req.url === "/v1/edits") return json(res, 202, edit("ed_9", "QUEUED"));
      if (req.url?.endsWith("/events")) {
        res.writeHead(200, { "Content-Type": "text/event-stream" });
        sse(res, [{ id: 1, status: "QUEUED" }, { id: 2, status: "FAILED" }]);
        return void res.end();
      }
      json(res, 200, edit("ed_9", "FAILED", { error: { code: "CONTENT_POLICY", message: "Blocked by the content policy.", retryable: false } }));
    });
    let created = "";

    const error = await client
      .editImage(new Blob(["png"], { type: "image/png" }), { prompt: "p", numImages: 2 }, { onCreated: (e) => (created = e.id) })
      .catch((e) => e);

    assert.equal(created, "ed_9");
    assert.ok(error instanceof EditflowError);
    assert.equal(error.code, "CONTENT_POLICY");
    assert.equal(error.edit?.status, "FAILED");
    assert.equal(friendlyMessage(error), "Blocked by the content policy.");
    assert.deepEqual(JSON.parse(seen.find((s) => s.path === "/v1/edits")!.body), { prompt: "p", numImages: 2, inputs: [{ uploadId: "up_9" }] });
  });
});

describe("listEdits", () => {
  it("iterates over every page with the cursor", async () => {
    const { client, seen } = await api((req, res) => {
      const cursor = new URL(req.url!, "http://x").searchParams.get("cursor");
      if (!cursor) return json(res, 200, { items: [edit("ed_3", "QUEUED"), edit("ed_2", "SUCCEEDED")], nextCursor: "c2" });
      json(res, 200, { items: [edit("ed_1", "FAILED")], nextCursor: null });
    });

    const ids: string[] = [];
    for await (const e of client.listEdits({ limit: 2 })) ids.push(e.id);

    assert.deepEqual(ids, ["ed_3", "ed_2", "ed_1"]);
    assert.deepEqual(seen.map((s) => s.path), ["/v1/edits?limit=2", "/v1/edits?limit=2&cursor=c2"]);
  });
});

describe("cancelEdit", () => {
  it("throws ALREADY_FINISHED for a job that ended otherwise", async () => {
    const { client } = await api((_req, res) => problem(res, 409, "ALREADY_FINISHED"));
    const error = await client.cancelEdit("ed_1").catch((e) => e);
    assert.equal(error.code, "ALREADY_FINISHED");
    assert.equal(error.status, 409);
  });
});
