import {
  EditflowClient,
  EditflowError,
  friendlyMessage,
  isTerminal,
  type components,
  type Edit,
  type JobStatus,
  type Usage,
} from "@editflow/client";
import { ago, bytes, h, replace, time, usd } from "./dom";
import { ASPECT_RATIOS, MODELS, RESOLUTIONS, estimate, type Model } from "./models";
import "./style.css";

/** The API: this page's own origin when the gateway serves it, or VITE_EDITFLOW_API in `npm run dev`. */
const API = import.meta.env.DEV ? (import.meta.env.VITE_EDITFLOW_API ?? "http://localhost:8080") : "";
const SESSION_KEY = "editflow-demo-session";
const PAGE_SIZE = 8;

interface Session {
  user: string;
  token: string;
}

const STEPS: { status: JobStatus; label: string }[] = [
  { status: "QUEUED", label: "Queued" },
  { status: "SUBMITTED", label: "Sent to the model" },
  { status: "IN_PROGRESS", label: "Editing" },
  { status: "ARCHIVING", label: "Saving the results" },
  { status: "SUCCEEDED", label: "Done" },
];
const ENDINGS: Partial<Record<JobStatus, string>> = { FAILED: "Failed", CANCELLED: "Cancelled", TIMED_OUT: "Timed out" };
const STATUS_LABELS: Record<JobStatus, string> = {
  QUEUED: "Queued",
  SUBMITTED: "Sent",
  IN_PROGRESS: "Editing",
  ARCHIVING: "Saving",
  SUCCEEDED: "Done",
  FAILED: "Failed",
  CANCELLED: "Cancelled",
  TIMED_OUT: "Timed out",
};

const main = document.getElementById("main")!;
const account = document.getElementById("account")!;
const announcer = h("p", { class: "sr-only", "aria-live": "polite", id: "announcer" });
document.body.append(announcer);

function announce(text: string): void {
  announcer.textContent = text;
}

function loadSession(): Session | null {
  try {
    const stored = JSON.parse(localStorage.getItem(SESSION_KEY) ?? "null") as Session | null;
    return stored && typeof stored.token === "string" ? stored : null;
  } catch {
    return null;
  }
}

function start(): void {
  const session = loadSession();
  if (session) new App(session).mount();
  else signIn();
}

// ---- Sign in ---------------------------------------------------------------------------------

function signIn(notice?: string): void {
  replace(account);
  const error = h("p", { class: "alert", role: "alert", hidden: true });
  const input = h("input", {
    id: "user",
    name: "user",
    autocomplete: "username",
    required: true,
    pattern: "[A-Za-z0-9._@\\-]{1,100}",
    placeholder: "alice",
    "aria-describedby": "user-hint",
  });
  const button = h("button", { type: "submit", class: "primary" }, "Sign in");
  const form = h(
    "form",
    { class: "stack", novalidate: true },
    h("div", { class: "field" }, h("label", { for: "user" }, "User name"), input, h("p", { class: "hint", id: "user-hint" }, "Any name: each one is a separate user with its own edits.")),
    error,
    button,
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const user = input.value.trim();
    if (!/^[A-Za-z0-9._@-]{1,100}$/.test(user)) {
      showAlert(error, "Use letters, digits and . _ @ - only (at most 100).");
      input.focus();
      return;
    }
    button.disabled = true;
    try {
      const token = await devToken(user);
      localStorage.setItem(SESSION_KEY, JSON.stringify({ user, token } satisfies Session));
      new App({ user, token }).mount();
    } catch (err) {
      showAlert(error, friendlyMessage(err));
      button.disabled = false;
    }
  });
  replace(
    main,
    h(
      "section",
      { class: "card sign-in", "aria-labelledby": "sign-in-title" },
      h("h1", { id: "sign-in-title" }, "Edit images with a sentence"),
      h("p", { class: "lead" }, "Upload a picture, say what should change, and get the edited images back, however long the model takes."),
      notice ? h("p", { class: "alert info", role: "status" }, notice) : null,
      form,
      h("p", { class: "hint" }, "Local stack only: the token comes from the dev token endpoint, which production does not have."),
    ),
  );
  input.focus();
}

async function devToken(user: string): Promise<string> {
  let response: Response;
  try {
    response = await fetch(`${API}/v1/dev/tokens`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ user } satisfies components["schemas"]["DevTokenRequest"]),
    });
  } catch (e) {
    throw new EditflowError({ status: 0, code: "NETWORK_ERROR", title: "Network error", cause: e });
  }
  const body = (await response.json().catch(() => undefined)) as components["schemas"]["DevToken"] | components["schemas"]["Problem"] | undefined;
  if (!response.ok || !body || !("token" in body)) {
    const problem = body && "code" in body ? body : undefined;
    throw new EditflowError({ status: response.status, code: problem?.code ?? "UNEXPECTED_RESPONSE", title: problem?.title ?? "Sign-in failed" });
  }
  return body.token;
}

function showAlert(target: HTMLElement, message: string, details: string[] = []): void {
  replace(target, h("span", {}, message), details.length ? h("ul", {}, details.map((d) => h("li", {}, d))) : null);
  target.hidden = false;
}

// ---- The app ---------------------------------------------------------------------------------

class App {
  private readonly client: EditflowClient;
  private readonly current = h("section", { class: "card current", "aria-labelledby": "current-title", hidden: true });
  private readonly history = h("ul", { class: "history", "aria-label": "My edits, newest first" });
  private readonly historyMore = h("button", { type: "button", class: "ghost", hidden: true }, "Load more");
  private readonly usage = h("div", { class: "usage" }, h("p", { class: "hint" }, "Loading…"));
  private nextCursor: string | null = null;
  private following: AbortController | null = null;
  private followingId: string | null = null;
  private readonly watchedInList = new Map<string, AbortController>();

  constructor(private readonly session: Session) {
    this.client = new EditflowClient({ baseUrl: API, token: session.token });
  }

  mount(): void {
    replace(
      account,
      h("span", { class: "who" }, "Signed in as ", h("strong", {}, this.session.user)),
      h("button", { type: "button", class: "ghost small", onclick: () => this.signOut() }, "Sign out"),
    );
    this.historyMore.addEventListener("click", () => void this.loadHistory(false));
    replace(
      main,
      h(
        "div",
        { class: "layout" },
        h("div", { class: "column" }, this.newEditCard(), this.current),
        h(
          "aside",
          { class: "column side" },
          h("section", { class: "card", "aria-labelledby": "usage-title" }, h("h2", { id: "usage-title" }, "Today"), this.usage),
          h(
            "section",
            { class: "card", "aria-labelledby": "history-title" },
            h("div", { class: "card-head" }, h("h2", { id: "history-title" }, "My edits"), h("button", { type: "button", class: "ghost small", onclick: () => void this.loadHistory(true) }, "Refresh")),
            this.history,
            this.historyMore,
          ),
        ),
      ),
    );
    void this.refreshUsage();
    void this.loadHistory(true, true);
  }

  private signOut(): void {
    this.following?.abort();
    this.watchedInList.forEach((c) => c.abort());
    localStorage.removeItem(SESSION_KEY);
    signIn();
  }

  /** A 401 means the token expired or was refused: back to signing in. */
  private handleAuth(error: unknown): boolean {
    if (error instanceof EditflowError && error.code === "UNAUTHENTICATED") {
      this.following?.abort();
      localStorage.removeItem(SESSION_KEY);
      signIn("Your session has expired. Please sign in again.");
      return true;
    }
    return false;
  }

  // ---- New edit --------------------------------------------------------------------------------

  private newEditCard(): HTMLElement {
    const fileInput = h("input", { type: "file", id: "image", name: "image", accept: "image/png,image/jpeg,image/webp", class: "file-input", "aria-describedby": "image-hint" });
    const preview = h("div", { class: "preview", hidden: true });
    const dropText = h("span", { class: "drop-text" }, h("strong", {}, "Drop an image here"), " or ", h("span", { class: "link" }, "choose a file"));
    const dropzone = h("div", { class: "dropzone" }, fileInput, h("label", { for: "image", class: "drop-label" }, h("span", { class: "field-label" }, "Image"), dropText, h("span", { class: "hint", id: "image-hint" }, "PNG, JPEG or WebP, up to 50 MB")), preview);
    let file: File | null = null;
    let previewUrl: string | null = null;
    const setFile = (picked: File | null) => {
      file = picked;
      if (previewUrl) URL.revokeObjectURL(previewUrl);
      previewUrl = null;
      if (!picked) {
        preview.hidden = true;
        replace(preview);
        return;
      }
      const figure: (Node | null)[] = [];
      if (picked.type.startsWith("image/")) {
        previewUrl = URL.createObjectURL(picked);
        const img = h("img", { src: previewUrl, alt: "" });
        img.addEventListener("error", () => img.remove(), { once: true });
        figure.push(img);
      }
      replace(preview, ...figure, h("span", { class: "file-name" }, picked.name), h("span", { class: "hint" }, bytes(picked.size)));
      preview.hidden = false;
    };
    fileInput.addEventListener("change", () => setFile(fileInput.files?.[0] ?? null));
    dropzone.addEventListener("dragover", (e) => {
      e.preventDefault();
      dropzone.classList.add("dragging");
    });
    dropzone.addEventListener("dragleave", () => dropzone.classList.remove("dragging"));
    dropzone.addEventListener("drop", (e) => {
      e.preventDefault();
      dropzone.classList.remove("dragging");
      const dropped = e.dataTransfer?.files?.[0];
      if (dropped) setFile(dropped);
    });

    const prompt = h("textarea", { id: "prompt", name: "prompt", rows: 3, maxlength: 2000, required: true, placeholder: "make the sky purple" });
    const model = select("model", MODELS.map((m) => [m.id, m.label]));
    const aspect = select("aspect", ASPECT_RATIOS.map((a) => [a, a === "auto" ? "Auto" : a]));
    const resolution = select("resolution", RESOLUTIONS.map((r) => [r, r]));
    const format = select("format", [["png", "PNG"], ["jpeg", "JPEG"], ["webp", "WebP"]]);
    const images = select("images", ["1", "2", "3", "4"].map((n) => [n, n]));
    const cost = h("output", { id: "estimate", for: "model images resolution", class: "estimate", "aria-live": "polite" });
    const progress = h("progress", { id: "upload-progress", max: 1, value: 0, hidden: true, "aria-label": "Upload progress" });
    const error = h("div", { class: "alert", role: "alert", hidden: true, id: "form-error" });
    const submit = h("button", { type: "submit", class: "primary" }, "Edit image");

    const chosenModel = (): Model => MODELS.find((m) => m.id === model.value) ?? MODELS[0]!;
    const update = () => {
      const m = chosenModel();
      resolution.disabled = !m.resolutions;
      for (const option of Array.from(format.options)) option.disabled = !m.formats.includes(option.value as "png");
      if (format.selectedOptions[0]?.disabled) format.value = m.formats[0]!;
      const count = Number(images.value);
      replace(
        cost,
        "Estimated cost ",
        h("strong", {}, usd(estimate(m, count, resolution.value))),
        h("span", { class: "hint" }, ` ${count} × ${usd(estimate(m, 1, resolution.value))}`),
      );
    };
    [model, images, resolution].forEach((s) => s.addEventListener("change", update));
    update();

    const form = h(
      "form",
      { class: "stack", novalidate: true, "aria-describedby": "estimate" },
      dropzone,
      h("div", { class: "field" }, h("label", { for: "prompt" }, "What should change?"), prompt),
      h(
        "div",
        { class: "grid" },
        field("model", "Model", model, "wide"),
        field("aspect", "Aspect ratio", aspect),
        field("resolution", "Resolution", resolution),
        field("format", "Output format", format),
        field("images", "Number of images", images),
      ),
      error,
      h("div", { class: "actions" }, cost, progress, submit),
    );
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      error.hidden = true;
      if (!file) return this.formError(error, "Choose an image first.", fileInput);
      if (!prompt.value.trim()) return this.formError(error, "Say what should change.", prompt);
      const m = chosenModel();
      submit.disabled = true;
      submit.textContent = "Uploading…";
      progress.hidden = false;
      progress.value = 0;
      try {
        const upload = await this.client.uploadImage(file, { onProgress: (p) => (progress.value = p) });
        submit.textContent = "Submitting…";
        const edit = await this.client.createEdit({
          prompt: prompt.value.trim(),
          inputs: [{ uploadId: upload.uploadId }],
          model: m.id,
          numImages: Number(images.value),
          aspectRatio: aspect.value,
          outputFormat: format.value,
          ...(m.resolutions ? { resolution: resolution.value } : {}),
        });
        announce("Edit accepted.");
        this.show(edit, true);
        void this.loadHistory(true);
        void this.refreshUsage();
      } catch (err) {
        if (this.handleAuth(err)) return;
        const details = err instanceof EditflowError ? err.fieldErrors.map((f) => `${f.field}: ${f.message}`) : [];
        showAlert(error, friendlyMessage(err), details);
        void this.refreshUsage();
      } finally {
        submit.disabled = false;
        submit.textContent = "Edit image";
        progress.hidden = true;
      }
    });
    return h("section", { class: "card", "aria-labelledby": "new-title" }, h("h2", { id: "new-title" }, "New edit"), form);
  }

  private formError(target: HTMLElement, message: string, focus: HTMLElement): void {
    showAlert(target, message);
    focus.focus();
  }

  // ---- The edit being looked at ------------------------------------------------------------------

  /** Shows a job and follows it to its end (a finished one's timeline is replayed too). */
  private show(edit: Edit, focus = false): void {
    this.following?.abort();
    const controller = new AbortController();
    this.following = controller;
    this.followingId = edit.id;
    const reached = new Map<JobStatus, string>();
    let status = edit.status;
    const timeline = h("ol", { class: "timeline", "aria-label": "Progress" });
    const badge = h("span", {});
    const outcome = h("div", { class: "outcome" });
    const cancel = h("button", { type: "button", class: "danger", hidden: isTerminal(edit.status) }, "Cancel edit");
    const cancelError = h("p", { class: "alert", role: "alert", hidden: true });
    const render = () => {
      replace(badge, statusBadge(status));
      const ending = ENDINGS[status];
      const currentIndex = STEPS.findIndex((s) => s.status === status);
      const lastReached = Math.max(...STEPS.map((s, i) => (reached.has(s.status) ? i : -1)));
      const shown = ending ? STEPS.filter((s, i) => s.status !== "SUCCEEDED" && i <= lastReached) : STEPS;
      const steps = shown.map((step, i) => {
        const done = ending ? i <= lastReached : currentIndex >= 0 && (i < currentIndex || status === "SUCCEEDED");
        const active = !ending && i === currentIndex && status !== "SUCCEEDED";
        const at = reached.get(step.status);
        return h(
          "li",
          { class: `step ${done ? "done" : active ? "active" : "pending"}`, "aria-current": active ? "step" : null },
          h("span", { class: "dot", "aria-hidden": "true" }),
          h("span", { class: "step-label" }, step.label, h("span", { class: "sr-only" }, done ? " (done)" : active ? " (now)" : " (not yet)")),
          at ? h("time", { datetime: at }, time(at)) : null,
        );
      });
      if (ending) {
        const at = reached.get(status);
        steps.push(h("li", { class: `step ended ${status.toLowerCase()}`, "aria-current": "step" }, h("span", { class: "dot", "aria-hidden": "true" }), h("span", { class: "step-label" }, ending), at ? h("time", { datetime: at }, time(at)) : null));
      }
      replace(timeline, steps);
      cancel.hidden = isTerminal(status);
    };
    cancel.addEventListener("click", async () => {
      cancel.disabled = true;
      cancelError.hidden = true;
      try {
        await this.client.cancelEdit(edit.id);
        announce("Cancelling…");
      } catch (err) {
        if (this.handleAuth(err)) return;
        showAlert(cancelError, friendlyMessage(err));
      } finally {
        cancel.disabled = false;
      }
    });
    const title = h("h2", { id: "current-title", tabindex: -1 }, "Current edit");
    replace(
      this.current,
      h("div", { class: "card-head" }, title, badge),
      h("p", { class: "prompt" }, "“", edit.prompt, "”"),
      h("p", { class: "meta" }, modelLabel(edit.model), " · ", `estimated ${usd(edit.estimatedCostUsd)}`, " · ", h("code", {}, edit.id)),
      timeline,
      h("div", { class: "actions" }, cancel),
      cancelError,
      outcome,
    );
    this.current.hidden = false;
    render();
    if (focus) title.focus();
    void this.client
      .watchEdit(edit.id, {
        signal: controller.signal,
        onStatus: (s, at) => {
          status = s;
          if (s === "QUEUED") reached.clear(); // a retry starts over
          reached.set(s, at);
          render();
          announce(`Status: ${STATUS_LABELS[s]}`);
          this.updateListItem(edit.id, s);
        },
      })
      .then((final) => {
        if (controller.signal.aborted) return;
        status = final.status;
        render();
        this.showOutcome(outcome, final);
        void this.loadHistory(true);
        void this.refreshUsage();
      })
      .catch((err) => {
        if (controller.signal.aborted || this.handleAuth(err)) return;
        replace(outcome, h("p", { class: "alert", role: "alert" }, friendlyMessage(err)));
      });
  }

  private showOutcome(target: HTMLElement, edit: Edit): void {
    if (edit.status !== "SUCCEEDED") {
      const message = edit.error?.message ?? friendlyMessage(new EditflowError({ status: 0, code: edit.error?.code ?? "UNKNOWN", title: edit.status }));
      replace(target, h("p", { class: `alert ${edit.status === "CANCELLED" ? "info" : ""}`, role: "status" }, message));
      return;
    }
    announce(`Done: ${edit.outputs.length} image${edit.outputs.length === 1 ? "" : "s"}.`);
    replace(
      target,
      h(
        "ul",
        { class: "gallery", "aria-label": "Results" },
        edit.outputs.map((output, i) => {
          const name = `editflow-${edit.id}-${i + 1}.${extension(output.contentType)}`;
          const download = h("a", { href: output.url, class: "button ghost small", download: name, target: "_blank", rel: "noopener" }, "Download", h("span", { class: "sr-only" }, ` image ${i + 1}`));
          download.addEventListener("click", (e) => {
            e.preventDefault();
            void saveAs(output.url, name).catch(() => window.open(output.url, "_blank", "noopener"));
          });
          return h(
            "li",
            {},
            h(
              "figure",
              {},
              h("img", { src: output.url, alt: `Result ${i + 1} of ${edit.outputs.length}: ${edit.prompt}`, width: output.width, height: output.height, loading: "lazy", decoding: "async" }),
              h("figcaption", {}, h("span", {}, `${output.width}×${output.height} · ${extension(output.contentType).toUpperCase()} · ${bytes(output.bytes)}`), download),
            ),
          );
        }),
      ),
    );
  }

  // ---- My edits ----------------------------------------------------------------------------------

  private async loadHistory(reset: boolean, resumeRunning = false): Promise<void> {
    try {
      const page = await this.client.listEditPage({ limit: PAGE_SIZE, cursor: reset ? undefined : (this.nextCursor ?? undefined) });
      if (reset) {
        this.watchedInList.forEach((c) => c.abort());
        this.watchedInList.clear();
        replace(this.history);
      }
      this.nextCursor = page.nextCursor ?? null;
      this.historyMore.hidden = !this.nextCursor;
      if (reset && page.items.length === 0) {
        replace(this.history, h("li", { class: "empty" }, "No edits yet. Your edits appear here, newest first, even after you close the tab."));
        return;
      }
      this.history.append(...page.items.map((edit) => this.historyItem(edit)));
      if (resumeRunning) {
        // A reload or a reopened tab picks up where it left off.
        const running = page.items.find((e) => !isTerminal(e.status));
        if (running) this.show(running);
      }
      for (const edit of page.items) {
        if (!isTerminal(edit.status) && edit.id !== this.followingId) this.watchInList(edit.id);
      }
    } catch (err) {
      if (this.handleAuth(err)) return;
      replace(this.history, h("li", { class: "alert", role: "alert" }, friendlyMessage(err)));
    }
  }

  private historyItem(edit: Edit): HTMLElement {
    const thumb = edit.outputs[0]
      ? h("img", { src: edit.outputs[0].url, alt: "", loading: "lazy", width: 48, height: 48 })
      : h("span", { class: `thumb-placeholder ${edit.status.toLowerCase()}`, "aria-hidden": "true" });
    return h(
      "li",
      { "data-edit": edit.id },
      h(
        "button",
        { type: "button", class: "history-item", onclick: () => this.show(edit, true) },
        h("span", { class: "thumb" }, thumb),
        h("span", { class: "history-text" }, h("span", { class: "history-prompt" }, edit.prompt), h("span", { class: "hint" }, ago(edit.createdAt), " · ", `${edit.outputs.length || ""}${edit.outputs.length ? " images · " : ""}`, modelLabel(edit.model))),
        statusBadge(edit.status),
      ),
    );
  }

  private updateListItem(id: string, status: JobStatus): void {
    const badge = this.history.querySelector(`li[data-edit="${CSS.escape(id)}"] .badge`);
    if (badge) badge.replaceWith(statusBadge(status));
  }

  private watchInList(id: string): void {
    const controller = new AbortController();
    this.watchedInList.set(id, controller);
    void this.client
      .watchEdit(id, { signal: controller.signal, onStatus: (s) => this.updateListItem(id, s) })
      .then(() => {
        if (!controller.signal.aborted) void this.refreshUsage();
      })
      .catch(() => {});
  }

  // ---- Usage -------------------------------------------------------------------------------------

  private async refreshUsage(): Promise<void> {
    let usage: Usage;
    try {
      usage = await this.client.getUsage();
    } catch (err) {
      if (!this.handleAuth(err)) replace(this.usage, h("p", { class: "hint" }, friendlyMessage(err)));
      return;
    }
    const { limits } = usage;
    replace(
      this.usage,
      meter("usage-images", "Images today", usage.imagesToday, limits.dailyImages, `${usage.imagesToday} of ${limits.dailyImages}`),
      meter("usage-active", "Edits running", usage.activeJobs, limits.maxActiveJobs, `${usage.activeJobs} of ${limits.maxActiveJobs}`),
      meter("usage-budget", "Budget left", usage.budgetLeftTodayUsd, limits.dailyBudgetUsd, `${usd(usage.budgetLeftTodayUsd)} of ${usd(limits.dailyBudgetUsd)}`, true),
      h("p", { class: "hint" }, `Your edits today cost about ${usd(usage.estimatedCostTodayUsd)}. The budget is the service's, shared by everyone; all figures reset at midnight UTC.`),
    );
  }
}

// ---- Small pieces --------------------------------------------------------------------------------

function select(id: string, options: (readonly [string, string])[]): HTMLSelectElement {
  return h("select", { id, name: id }, options.map(([value, label]) => h("option", { value }, label)));
}

function field(id: string, label: string, control: HTMLElement, width = ""): HTMLElement {
  return h("div", { class: `field ${width}` }, h("label", { for: id }, label), control);
}

function meter(id: string, label: string, value: number, max: number, text: string, remaining = false): HTMLElement {
  const ratio = max > 0 ? value / max : 0;
  const low = remaining ? max * 0.2 : undefined;
  const high = remaining ? undefined : max * 0.8;
  return h(
    "div",
    { class: "meter" },
    h("div", { class: "meter-head" }, h("label", { for: id }, label), h("span", { class: "meter-value" }, text)),
    h("meter", { id, min: 0, max, value, low, high, optimum: remaining ? max : 0, "data-level": ratio > 0.8 ? "high" : "normal" }),
  );
}

function statusBadge(status: JobStatus): HTMLElement {
  return h("span", { class: `badge ${status.toLowerCase()}` }, STATUS_LABELS[status]);
}

function modelLabel(id: string): string {
  return MODELS.find((m) => m.id === id)?.label ?? id;
}

function extension(contentType: string): string {
  return ({ "image/png": "png", "image/jpeg": "jpg", "image/webp": "webp" } as Record<string, string>)[contentType] ?? "img";
}

/** Cross-origin links ignore `download`: fetch the image (our S3 allows this origin) and save it. */
async function saveAs(url: string, name: string): Promise<void> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(String(response.status));
  const objectUrl = URL.createObjectURL(await response.blob());
  const link = h("a", { href: objectUrl, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(objectUrl), 10_000);
}

start();
