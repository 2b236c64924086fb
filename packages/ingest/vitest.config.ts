import { defineConfig } from "vitest/config";
import { TEST_TIMEOUTS } from "../../vitest.shared.js";

// A replay completes runs one by one through the validation loop: on PostgreSQL, over the network, it takes
// longer than vitest's default five seconds on a busy machine.
export default defineConfig({ test: { ...TEST_TIMEOUTS } });
