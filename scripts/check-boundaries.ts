/**
 * `pnpm check:boundaries` (part of `pnpm test`): fails with one line per breach of the storage and package
 * boundaries; see boundaries/boundary-rules.ts.
 */
import { fileURLToPath } from "node:url";
import { TEMPORARILY_ALLOWED } from "./boundaries/boundary-rules.js";
import { checkBoundaries } from "./boundaries/check-boundaries.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const { violations, unneeded } = await checkBoundaries(root, TEMPORARILY_ALLOWED);
for (const entry of unneeded)
  console.error(
    `boundaries: allowed ${entry.rule} of ${entry.files.join(", ")} no longer occurs; remove its entry`,
  );
for (const violation of violations) console.error(violation.line);
if (violations.length > 0) {
  console.error(`boundaries: ${violations.length} violation${violations.length === 1 ? "" : "s"}`);
  process.exitCode = 1;
} else console.error(`boundaries: ok (${TEMPORARILY_ALLOWED.length - unneeded.length} temporarily allowed)`);
