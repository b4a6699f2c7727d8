// The demo web app at /demo/ in Debian's headless Chromium, against the running local stack.
// Every test fails on a console error or failed request it did not expect, and leaves
// screenshots of its steps under target/screenshots/.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  SCREENSHOTS,
  changeSimulator,
  clientFor,
  devToken,
  eventually,
  launchChromium,
  openDemo,
  png,
  screenshot,
  signIn,
  simulatorRequests,
  simulatorSettings,
  tokenOf,
  unique,
} from "./support.mjs";

const JOB_TIMEOUT = 120_000;
const MAX_ACTIVE_JOBS = Number(process.env.MAX_ACTIVE_JOBS ?? 3);
const SLOW_FAL = { timing: { "processing-min": "120s", "processing-max": "120s" }, cancel: { "in-progress-completes": false } };

let browser;
let startSettings;
const alice = {};

before(async () => {
  browser = await launchChromium();
  startSettings = await simulatorSettings();
});
after(async () => {
  await browser?.close();
  if (startSettings) await changeSimulator({ timing: startSettings.timing, cancel: startSettings.cancel });
});

async function restoreSimulator() {
  await changeSimulator({ timing: startSettings.timing, cancel: startSettings.cancel });
}

async function pickImage(page, file) {
  await page.locator("input[type=file]#image").setInputFiles(file);
}

async function submitEdit(page, prompt, { images = "1" } = {}) {
  await page.getByLabel("What should change?").fill(prompt);
  await page.getByLabel("Number of images").selectOption(images);
  await page.getByRole("button", { name: "Edit image" }).click();
}

const currentBadge = (page) => page.locator(".current .card-head .badge");

async function currentJobId(page) {
  await page.locator(".current .meta code").waitFor();
  return (await page.locator(".current .meta code").textContent()).trim();
}

/** Records what the page announces to screen readers (its live status changes). */
async function recordAnnouncements(page) {
  await page.evaluate(() => {
    const announcer = document.getElementById("announcer");
    window.announced = [];
    // Every change, even several in one task: each record holds the text it added.
    new MutationObserver((records) => {
      for (const record of records) for (const node of record.addedNodes) window.announced.push(node.textContent);
    }).observe(announcer, { childList: true });
  });
}

describe("the demo web app", () => {
  test("1. a PNG picked through the file input becomes two edited images loaded from our S3", async () => {
    const { context, page, guard } = await openDemo(browser);
    const user = unique("alice");
    await signIn(page, user);
    await screenshot(page, "1-signed-in");
    await recordAnnouncements(page);

    await pickImage(page, { name: "beach.png", mimeType: "image/png", buffer: png(320, 240) });
    await page.getByLabel("What should change?").fill("make the sky purple");
    await page.getByLabel("Number of images").selectOption("2");
    assert.match(await page.locator("#estimate").textContent(), /\$0\.30/);
    await screenshot(page, "1-ready-to-submit");
    await page.getByRole("button", { name: "Edit image" }).click();

    await page.locator(".timeline .step.active").waitFor({ timeout: JOB_TIMEOUT });
    await screenshot(page, "1-running");
    await currentBadge(page).filter({ hasText: "Done" }).waitFor({ timeout: JOB_TIMEOUT });
    const results = page.getByRole("list", { name: "Results" }).getByRole("img");
    await page.waitForFunction(
      () => {
        const images = [...document.querySelectorAll(".gallery img")];
        return images.length === 2 && images.every((img) => img.complete && img.naturalWidth > 0);
      },
      null,
      { timeout: 30_000 },
    );
    assert.equal(await results.count(), 2);
    for (const src of await results.evaluateAll((images) => images.map((img) => img.src))) {
      assert.ok(!src.startsWith(new URL(page.url()).origin), `${src} should come from S3, not the gateway`);
      assert.match(src, /\/editflow\/.*X-Amz-Signature=/, "a presigned GET of our bucket");
    }
    // Every status the page showed, in order (fal may finish before the worker sees IN_PROGRESS).
    const canonical = ["Queued", "Sent", "Editing", "Saving", "Done"];
    const shown = (await page.evaluate(() => window.announced))
      .filter((text) => text.startsWith("Status: "))
      .map((text) => text.slice("Status: ".length));
    assert.equal(shown[0], "Queued", `statuses shown: ${shown}`);
    assert.equal(shown.at(-1), "Done", `statuses shown: ${shown}`);
    assert.ok(shown.length >= 3, `the status changed while we watched: ${shown}`);
    assert.deepEqual(shown, [...shown].sort((a, b) => canonical.indexOf(a) - canonical.indexOf(b)), "in lifecycle order");
    assert.equal(await page.locator(".timeline .step.done").count(), 5);
    await screenshot(page, "1-succeeded");
    alice.user = user;
    alice.id = await currentJobId(page);
    guard.assertClean();
    await context.close();
  });

  test("2. after a reload mid-job the job is in My edits and the page follows it to SUCCEEDED", async () => {
    await changeSimulator({ timing: { "processing-min": "6s", "processing-max": "6s" } });
    try {
      const { context, page, guard } = await openDemo(browser);
      await signIn(page, unique("rita"));
      await pickImage(page, { name: "street.png", mimeType: "image/png", buffer: png(200, 150) });
      await submitEdit(page, unique("reload"));
      const id = await currentJobId(page);
      await page.locator(".timeline .step.active").waitFor({ timeout: JOB_TIMEOUT });
      assert.notEqual(await currentBadge(page).textContent(), "Done");
      await screenshot(page, "2-before-reload");

      await guard.reload();

      await page.getByRole("list", { name: "My edits, newest first" }).locator(`li[data-edit="${id}"]`).waitFor();
      assert.equal(await currentJobId(page), id, "the page follows the running job again");
      assert.notEqual(await currentBadge(page).textContent(), "Done", "still running right after the reload");
      await screenshot(page, "2-after-reload-running");
      await currentBadge(page).filter({ hasText: "Done" }).waitFor({ timeout: JOB_TIMEOUT });
      await page.locator(".gallery img").first().waitFor();
      await screenshot(page, "2-after-reload-succeeded");
      guard.assertClean();
      await context.close();
    } finally {
      await restoreSimulator();
    }
  });

  test("3. a job cancelled while fal runs it shows CANCELLED, and fal saw the cancel", async () => {
    await changeSimulator(SLOW_FAL);
    try {
      const { context, page, guard } = await openDemo(browser);
      await signIn(page, unique("carl"));
      await pickImage(page, { name: "cat.png", mimeType: "image/png", buffer: png(120, 120) });
      const prompt = unique("cancel me");
      await submitEdit(page, prompt);
      await page.locator(".timeline .step.active", { hasText: "Editing" }).waitFor({ timeout: JOB_TIMEOUT });
      await screenshot(page, "3-editing-at-fal");

      await page.getByRole("button", { name: "Cancel edit" }).click();

      await currentBadge(page).filter({ hasText: "Cancelled" }).waitFor({ timeout: JOB_TIMEOUT });
      await page.getByText("The edit was cancelled.").waitFor();
      assert.equal(await page.getByRole("button", { name: "Cancel edit" }).count(), 0);
      const [request] = await eventually(
        async () => {
          const requests = await simulatorRequests(prompt);
          return requests.length === 1 && requests[0].cancelled ? requests : null;
        },
        { what: "fal seeing the cancel" },
      );
      assert.equal(request.cancelled, true);
      await screenshot(page, "3-cancelled");
      guard.assertClean();
      await context.close();
    } finally {
      await restoreSimulator();
    }
  });

  test("4. a text file named .png and a 60 MB file get a friendly error and create no job", async () => {
    const { context, page, guard } = await openDemo(browser);
    await signIn(page, unique("tess"));
    const error = page.locator("#form-error");

    guard.expect(/^422 POST .*\/v1\/edits$/, /status of 422.*\/v1\/edits/);
    await pickImage(page, { name: "notes.png", mimeType: "image/png", buffer: Buffer.from("These are my notes, not a picture.\n".repeat(40)) });
    await submitEdit(page, "make it pop");
    await error.filter({ hasText: "This file is not an image we can edit" }).waitFor();
    await screenshot(page, "4-not-an-image");

    guard.expect(/^422 POST .*\/v1\/uploads$/, /status of 422.*\/v1\/uploads/);
    const big = join(SCREENSHOTS, "..", "big-photo.png");
    const bytes = Buffer.alloc(60 * 1024 * 1024);
    png(8, 8).copy(bytes);
    writeFileSync(big, bytes);
    await pickImage(page, big);
    await page.getByRole("button", { name: "Edit image" }).click();
    await error.filter({ hasText: "This image is too large" }).waitFor();
    await screenshot(page, "4-too-large");

    assert.doesNotMatch(await error.textContent(), /UPLOAD_|problem|\{|Exception/, "no raw body or code");
    const edits = await clientFor(await tokenOf(page)).listEditPage();
    assert.deepEqual(edits.items, [], "no job was created");
    await page.getByText("No edits yet").waitFor();
    guard.assertClean();
    await context.close();
  });

  test("5. a user over the active-jobs limit sees the quota message", async () => {
    await changeSimulator(SLOW_FAL);
    const user = unique("erin");
    const client = clientFor(await devToken(user));
    const busy = unique("busy");
    const running = [];
    try {
      const upload = await client.uploadImage(new Blob([png(64, 64)], { type: "image/png" }));
      for (let i = 0; i < MAX_ACTIVE_JOBS; i++) {
        running.push(await client.createEdit({ prompt: `${busy} ${i}`, inputs: [{ uploadId: upload.uploadId }] }));
      }
      const { context, page, guard } = await openDemo(browser);
      await signIn(page, user);
      await page.locator("#usage-active").waitFor();
      assert.match(await page.locator(".meter", { has: page.locator("#usage-active") }).textContent(), new RegExp(`${MAX_ACTIVE_JOBS} of ${MAX_ACTIVE_JOBS}`));

      guard.expect(/^429 POST .*\/v1\/edits$/, /status of 429.*\/v1\/edits/);
      await pickImage(page, { name: "one-more.png", mimeType: "image/png", buffer: png(64, 64) });
      await submitEdit(page, "one more");
      await page.locator("#form-error").filter({ hasText: "You have too many edits running" }).waitFor();
      await screenshot(page, "5-active-jobs-limit");
      guard.assertClean();
      await context.close();
    } finally {
      await Promise.all(running.map((edit) => client.cancelEdit(edit.id).catch(() => {})));
      // fal must have ended them before it is fast again, or they would hold its slots for minutes.
      await eventually(
        async () => {
          const requests = (await Promise.all(running.map((edit) => simulatorRequests(edit.prompt)))).flat();
          return requests.length === running.length && requests.every((r) => r.state === "COMPLETED");
        },
        { what: "fal ending the cancelled jobs" },
      ).catch((e) => console.error(e.message));
      await restoreSimulator();
    }
  });

  test("6. a second user, signed in with the keyboard alone, sees none of the first user's edits", async () => {
    assert.ok(alice.id, "test 1 made alice's edit");
    const { context, page, guard } = await openDemo(browser);
    const bob = unique("bob");
    await page.keyboard.type(bob); // the user name field has the focus
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "New edit" }).waitFor();

    await page.getByText("No edits yet").waitFor();
    assert.equal(await page.locator(`li[data-edit="${alice.id}"]`).count(), 0);
    const error = await clientFor(await tokenOf(page))
      .getEdit(alice.id)
      .catch((e) => e);
    assert.equal(error.code, "JOB_NOT_FOUND");
    await screenshot(page, "6-second-user");
    guard.assertClean();
    await context.close();
  });

  test("7. at a phone's width the page fits and every control is reachable with Tab", async () => {
    assert.ok(alice.id, "test 1 made alice's edit");
    const { context, page, guard } = await openDemo(browser, { width: 390, height: 844 });
    await signIn(page, alice.user);
    await page.locator(`li[data-edit="${alice.id}"] button`).click();
    await currentBadge(page).filter({ hasText: "Done" }).waitFor({ timeout: JOB_TIMEOUT });
    await page.waitForFunction(() => [...document.querySelectorAll(".gallery img")].every((i) => i.complete && i.naturalWidth > 0));
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone`);
    await screenshot(page, "7-phone-result");

    await page.getByLabel("What should change?").focus();
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.locator("body").focus();
    const reached = new Set();
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press("Tab");
      reached.add(await page.evaluate(() => document.activeElement?.id || document.activeElement?.textContent?.trim()));
    }
    for (const control of ["image", "prompt", "model", "aspect", "resolution", "format", "images", "Edit image", "Sign out"]) {
      assert.ok(reached.has(control), `${control} is reachable with Tab (reached ${[...reached]})`);
    }
    await page.getByLabel("What should change?").focus();
    await screenshot(page, "7-phone-form-focus");
    guard.assertClean();
    await context.close();
  });
});
