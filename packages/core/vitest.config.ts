import { defineConfig } from "vitest/config";
import { TEST_TIMEOUTS } from "../../vitest.shared.js";

export default defineConfig({ test: { ...TEST_TIMEOUTS } });
