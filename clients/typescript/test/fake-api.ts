import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface Seen {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: string;
  at: number;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, body: string, seen: Seen[]) => unknown;

/** A real HTTP server on loopback playing the API (or S3), recording every request. */
export async function fakeApi(handler: Handler): Promise<{ url: string; seen: Seen[]; close: () => Promise<void> }> {
  const seen: Seen[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    seen.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers, body, at: Date.now() });
    try {
      await handler(req, res, body, seen);
    } catch (e) {
      res.writeHead(599).end(String(e));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "Content-Type": "application/json", ...headers }).end(JSON.stringify(body));
}

export function problem(res: ServerResponse, status: number, code: string, headers: Record<string, string> = {}): void {
  res
    .writeHead(status, { "Content-Type": "application/problem+json", ...headers })
    .end(JSON.stringify({ type: `https://editflow.dev/problems/${code}`, title: `title of ${code}`, status, detail: `detail of ${code}`, code }));
}

export function edit(id: string, status: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    status,
    createdAt: "2026-11-25T10:00:00Z",
    updatedAt: "2026-11-25T10:00:05Z",
    prompt: "make the sky purple",
    model: "fal-ai/nano-banana-pro/edit",
    attempts: 1,
    outputs: [],
    estimatedCostUsd: 0.15,
    ...extra,
  };
}

export function sse(res: ServerResponse, events: { id: number; status: string }[]): void {
  for (const e of events) {
    res.write(`id:${e.id}\nevent:status\ndata:{"status":"${e.status}","at":"2026-11-25T10:00:0${e.id}Z"}\n\n`);
  }
}
