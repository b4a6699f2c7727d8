// Drives the official @fal-ai/client against the fal simulator.
// Env: FAL_SIM_URL (e.g. http://127.0.0.1:8090), INPUT_IMAGE_URL, FAL_KEY (any key), FAL_MODEL.
// Prints one line "RESULT <json>" with the outputs of fal.subscribe and of fal.queue.*.
import { fal } from "@fal-ai/client";

const simulator = (process.env.FAL_SIM_URL ?? "http://127.0.0.1:8090").replace(/\/$/, "");
const model = process.env.FAL_MODEL ?? "fal-ai/nano-banana/edit";
const input = {
  prompt: "make the sky purple",
  image_urls: [process.env.INPUT_IMAGE_URL],
  output_format: "png",
};

// The client builds https://queue.fal.run/... URLs itself; the request middleware is the
// documented hook to send them elsewhere, so the client code stays unchanged.
fal.config({
  credentials: process.env.FAL_KEY ?? "simulator-key",
  requestMiddleware: async (request) => ({
    ...request,
    url: request.url.replace(/^https:\/\/(queue\.)?fal\.run/, simulator),
  }),
});

const states = [];
const subscribed = await fal.subscribe(model, {
  input,
  logs: true,
  pollInterval: 100,
  onQueueUpdate: (update) => states.push(update.status),
});

const handle = await fal.queue.submit(model, { input });
let status;
do {
  await new Promise((resolve) => setTimeout(resolve, 100));
  status = await fal.queue.status(model, { requestId: handle.request_id, logs: true });
} while (status.status !== "COMPLETED");
const queued = await fal.queue.result(model, { requestId: handle.request_id });

console.log(
  "RESULT " +
    JSON.stringify({
      subscribe: { requestId: subscribed.requestId, data: subscribed.data, states },
      queue: { requestId: queued.requestId, data: queued.data, finalStatus: status.status },
    }),
);
