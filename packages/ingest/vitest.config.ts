import { defineConfig } from "vitest/config";

// A replay completes runs one by one through the validation loop: on PostgreSQL, over the network, it takes
// longer than vitest's default five seconds on a busy machine.
export default defineConfig({
  test: { testTimeout: 60_000, hookTimeout: 60_000 },
});
