// Shared by the browser tests: where the local stack is, Chromium, a guard that fails a test on
// any console error or failed request it did not expect, PNG files, and API shortcuts.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { deflateSync } from "node:zlib";
import { chromium } from "playwright-core";
import { EditflowClient } from "@editflow/client";

export const GATEWAY = required("EDITFLOW_URL");
export const SIMULATOR = required("SIMULATOR_URL");
export const SCREENSHOTS = process.env.SCREENSHOTS ?? "target/screenshots";
/** The page: the gateway's /demo/, or Vite's dev server while working on the demo. */
export const DEMO = process.env.DEMO_URL ?? `${GATEWAY}/demo/`;
mkdirSync(SCREENSHOTS, { recursive: true });

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: BrowserIT starts the local stack and sets it`);
  return value.replace(/\/$/, "");
}

/** Debian's Chromium, with the flags this machine needs (no sandbox as root, no background traffic). */
export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/**
 * Records what went wrong on a page: console errors, uncaught exceptions, failed requests and
 * error answers. A test declares what it expects (e.g. a 422 it provokes) with `expect`; anything
 * else fails it in `assertClean`.
 */
export function guard(page) {
  const expected = [];
  const problems = [];
  let navigating = false;
  const isExpected = (text) => expected.some((re) => re.test(text));
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    const text = `${message.text()} ${message.location()?.url ?? ""}`;
    if (!isExpected(text)) problems.push(`console error: ${text}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("requestfailed", (request) => {
    const reason = request.failure()?.errorText ?? "";
    // A stream or download cut by a reload, or a watch the page stopped on purpose.
    const cutOnPurpose = reason === "net::ERR_ABORTED" && (navigating || request.url().includes("/events"));
    const text = `${request.method()} ${request.url()} ${reason}`;
    if (!cutOnPurpose && !isExpected(text)) problems.push(`request failed: ${text}`);
  });
  page.on("response", (response) => {
    if (response.status() < 400) return;
    const text = `${response.status()} ${response.request().method()} ${response.url()}`;
    if (!isExpected(text)) problems.push(`error answer: ${text}`);
  });
  return {
    expect(...patterns) {
      expected.push(...patterns);
    },
    async reload() {
      navigating = true;
      try {
        await page.reload({ waitUntil: "domcontentloaded" });
      } finally {
        navigating = false;
      }
    },
    assertClean() {
      assert.deepEqual(problems, [], "unexpected console errors or failed requests");
    },
  };
}

/** A fresh browser context (no stored session) with its page and guard. */
export async function openDemo(browser, viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const pageGuard = guard(page);
  await page.goto(DEMO);
  return { context, page, guard: pageGuard };
}

export async function signIn(page, user) {
  await page.getByLabel("User name").fill(user);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "New edit" }).waitFor();
}

export async function screenshot(page, name) {
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

export function unique(prefix) {
  return `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/** The session the page stored. */
export async function tokenOf(page) {
  return page.evaluate(() => JSON.parse(localStorage.getItem("editflow-demo-session")).token);
}

export async function devToken(user) {
  const response = await fetch(`${GATEWAY}/v1/dev/tokens`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ user }),
  });
  assert.equal(response.status, 200);
  return (await response.json()).token;
}

export function clientFor(token) {
  return new EditflowClient({ baseUrl: GATEWAY, token });
}

// ---- The fal-simulator's admin API -------------------------------------------------------------

export async function simulatorSettings() {
  return (await fetch(`${SIMULATOR}/_sim/settings`)).json();
}

export async function changeSimulator(settings) {
  const response = await fetch(`${SIMULATOR}/_sim/settings`, {
    method: "PUT",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(settings),
  });
  assert.equal(response.status, 200, await response.text());
}

export async function simulatorRequests(prompt) {
  return (await fetch(`${SIMULATOR}/_sim/requests?prompt=${encodeURIComponent(prompt)}`)).json();
}

/** Polls `check` until it returns something truthy (default: 60 s). */
export async function eventually(check, { timeout = 60_000, every = 250, what = "the condition" } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    last = await check();
    if (last) return last;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeout} ms (last: ${JSON.stringify(last)})`);
    await new Promise((resolve) => setTimeout(resolve, every));
  }
}

// ---- Images ------------------------------------------------------------------------------------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, "ascii");
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** A real RGB PNG: a soft diagonal gradient, like a tiny landscape photo. */
export function png(width, height) {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    for (let x = 0; x < width; x++) {
      raw[row + 1 + x * 3] = Math.round(80 + (120 * x) / width);
      raw[row + 2 + x * 3] = Math.round(140 + (80 * y) / height);
      raw[row + 3 + x * 3] = 220 - Math.round((100 * y) / height);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}
