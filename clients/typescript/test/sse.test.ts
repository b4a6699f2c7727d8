import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readEvents, type ServerSentEvent } from "../src/index.js";

function stream(...chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

async function all(body: ReadableStream<Uint8Array>): Promise<ServerSentEvent[]> {
  const events: ServerSentEvent[] = [];
  for await (const event of readEvents(body)) events.push(event);
  return events;
}

describe("readEvents", () => {
  it("parses events split anywhere across chunks, with any line ending", async () => {
    const events = await all(stream("id:1\nevent:sta", "tus\ndata:{\"a\":1}\n\n:keep-alive\n\nid: 2\r", "\nevent: status\r\ndata: x\rdata: y\r\r"));
    assert.deepEqual(events, [
      { id: "1", event: "status", data: '{"a":1}' },
      { id: "2", event: "status", data: "x\ny" },
    ]);
  });

  it("keeps the last id for events without one and ignores an unfinished event", async () => {
    const events = await all(stream("id:7\ndata:a\n\ndata:b\n\ndata:never finished"));
    assert.deepEqual(events, [
      { id: "7", event: "message", data: "a" },
      { id: "7", event: "message", data: "b" },
    ]);
  });
});
