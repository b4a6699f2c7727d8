// @editflow/client in Node 20+ against the running local stack, and a real client webhook from
// editflow verified with the Standard Webhooks package (the ecosystem's verifier, not ours).
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, before, test } from "node:test";
import { Webhook } from "standardwebhooks";
import { clientFor, devToken, eventually, png, unique } from "./support.mjs";

let receiver;
const deliveries = [];

before(async () => {
  receiver = createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    deliveries.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
    res.writeHead(204).end();
  });
  await new Promise((resolve) => receiver.listen(0, "127.0.0.1", resolve));
});
after(() => new Promise((resolve) => receiver.close(resolve)));

test("editImage in Node ends SUCCEEDED and its webhook verifies with standardwebhooks", async () => {
  const client = clientFor(await devToken(unique("hooks")));
  const { secret } = await client.getWebhookSecret();
  const statuses = [];
  const webhookUrl = `http://127.0.0.1:${receiver.address().port}/editflow`;

  const edit = await client.editImage(
    new Blob([png(96, 64)], { type: "image/png" }),
    { prompt: unique("webhook"), numImages: 1, webhookUrl },
    { onStatus: (status) => statuses.push(status) },
  );

  assert.equal(edit.status, "SUCCEEDED");
  assert.equal(edit.outputs.length, 1);
  assert.equal((await fetch(edit.outputs[0].url)).status, 200);
  assert.equal(statuses.at(-1), "SUCCEEDED");
  const delivery = await eventually(() => deliveries.find((d) => d.body.includes(edit.id)), { what: "the webhook" });
  const payload = new Webhook(secret).verify(delivery.body, delivery.headers);
  assert.equal(payload.type, "edit.succeeded");
  assert.equal(payload.data.id, edit.id);
  assert.throws(() => new Webhook(secret).verify(delivery.body.replace("SUCCEEDED", "FAILED"), delivery.headers), /signature/i);
});
