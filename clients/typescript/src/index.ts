export {
  EditflowClient,
  type CallOptions,
  type CreateEditOptions,
  type EditImageCallbacks,
  type EditParameters,
  type EditflowClientOptions,
  type ListOptions,
  type UploadOptions,
  type WatchOptions,
} from "./client.js";
export {
  EditflowError,
  friendlyMessage,
  isTransient,
  type ClientErrorCode,
  type EditflowErrorCode,
} from "./errors.js";
export { readEvents, type ServerSentEvent } from "./sse.js";
export * from "./types.js";
export type { components, operations, paths } from "./generated/schema.js";
