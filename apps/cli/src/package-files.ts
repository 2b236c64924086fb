import { fileURLToPath } from "node:url";

// Paths inside the installed `patternloop` package. This module sits one level below the package root both
// as tsc writes it (dist/package-files.js) and inside the bundled command (dist/chunk-….js), so keep it in
// src/ itself: one level deeper, these paths would point outside the package in one of the two.

/** The package's manifest, for its version. */
export const PACKAGE_JSON = fileURLToPath(new URL("../package.json", import.meta.url));

/** Real runs from permissively licensed public repositories, shipped with the CLI (see sample/NOTICE.md). */
export const SAMPLE_HISTORY = fileURLToPath(new URL("../sample/workflows.jsonl", import.meta.url));
