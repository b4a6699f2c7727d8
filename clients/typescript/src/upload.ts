import { EditflowError, networkError } from "./errors.js";

export interface PutOptions {
  onProgress?: ((fraction: number) => void) | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * PUTs `file` to a presigned URL with exactly the signed headers. Browsers get upload progress
 * through XMLHttpRequest (fetch cannot report it); elsewhere fetch is used and progress is
 * reported when the upload completes.
 */
export async function putFile(
  url: string,
  headers: Record<string, string>,
  file: Blob,
  options: PutOptions,
  fetchImpl: typeof fetch,
): Promise<void> {
  options.signal?.throwIfAborted();
  options.onProgress?.(0);
  if (typeof XMLHttpRequest !== "undefined") {
    await putWithXhr(url, headers, file, options);
  } else {
    let response: Response;
    try {
      response = await fetchImpl(url, { method: "PUT", headers, body: file, signal: options.signal ?? null });
    } catch (e) {
      if (options.signal?.aborted) throw options.signal.reason;
      throw networkError(e);
    }
    await response.arrayBuffer().catch(() => undefined);
    if (!response.ok) throw storageRefused(response.status);
  }
  options.onProgress?.(1);
}

function putWithXhr(url: string, headers: Record<string, string>, file: Blob, options: PutOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("PUT", url);
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) options.onProgress?.(e.loaded / e.total);
    };
    xhr.onload = () => (xhr.status >= 200 && xhr.status < 300 ? resolve() : reject(storageRefused(xhr.status)));
    xhr.onerror = () => reject(networkError(new Error("The upload connection failed")));
    const onAbort = () => xhr.abort();
    xhr.onabort = () => reject(options.signal?.reason ?? new DOMException("Aborted", "AbortError"));
    xhr.onloadend = () => options.signal?.removeEventListener("abort", onAbort);
    options.signal?.addEventListener("abort", onAbort, { once: true });
    xhr.send(file);
  });
}

function storageRefused(status: number): EditflowError {
  return new EditflowError({
    status,
    code: "UPLOAD_FAILED",
    title: "Storage refused the upload",
    detail: `PUT answered ${status}`,
  });
}
