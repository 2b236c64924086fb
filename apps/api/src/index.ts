export { createApp } from "./app.js";
export type { AppAccess, AppDeps, AppServices } from "./app-deps.js";
export type { ShutdownReport } from "./close-within-grace.js";
export {
  DEFAULT_HOOK_POLL_MS,
  type HookWorker,
  type HookWorkerOptions,
  startHookWorker,
} from "./hook-worker.js";
export {
  DEFAULT_IDLE_TIMEOUT_MS,
  type IdleSweep,
  type IdleSweepOptions,
  startIdleSweep,
} from "./idle-sweep.js";
export { openApiDocument } from "./openapi.js";
export { DELIVERY_KEY_HEADER, HOOK_OUTCOME_HEADER } from "./routes/hooks.js";
export {
  DEFAULT_SHUTDOWN_GRACE_MS,
  type RunningServer,
  type ServerOptions,
  ServerStartError,
  startServer,
} from "./server.js";
