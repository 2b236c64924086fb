import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkBoundaries } from "./check-boundaries.js";

/** A small repository with one breach of each kind, and look-alikes that are not breaches. */
const TREE: Record<string, string> = {
  // Queries outside packages/db.
  "packages/validator/src/uses-sql.ts": 'import { sql } from "kysely";\nexport const one = sql`select 1`;\n',
  "packages/validator/src/builds.ts":
    '// every row of t\nexport const all = (db: any) =>\n  db.selectFrom("t").selectAll().execute();\n',
  "apps/api/src/raw.ts": [
    'import type { Kysely } from "kysely";',
    'export const text = "delete from runs where id = ?";',
    "export const compile = () => CompiledQuery.raw(text);",
    "export const run = (db: Kysely<any>, query: any) => db.executeQuery(query);",
    "",
  ].join("\n"),
  "apps/cli/src/savepoint.ts": "export const begin = (run: (text: string) => void) => run(`savepoint s`);\n",
  // Not breaches: types from kysely, words in comments and messages, tests, and packages/db itself.
  "packages/validator/src/clean.ts":
    'import type { Kysely } from "kysely";\n// db.selectFrom("t") is for packages/db\nexport const words = ["DELETE", "select a pattern", "update the list"];\nexport type K = Kysely<unknown>;\n',
  "packages/validator/src/clean.test.ts": 'export const q = (db: any) => db.insertInto("t").execute();\n',
  "packages/db/src/query.ts": 'export const q = (db: any) => db.deleteFrom("t").execute();\n',
  // Undeclared dependencies: validator imports kysely (values and types) but lists it as a devDependency.
  // Not breaches: db declares it, node: builtins, a package's own name, and the tests' imports.
  "packages/validator/package.json":
    '{ "name": "@patternloop/validator", "devDependencies": { "kysely": "*" } }\n',
  "packages/db/package.json": '{ "name": "@patternloop/db", "dependencies": { "kysely": "*" } }\n',
  "packages/db/src/declared.ts":
    'import { sql } from "kysely";\nimport { readFileSync } from "node:fs";\nimport type { X } from "@patternloop/db/testing";\nexport const all = [sql, readFileSync] as X[];\n',
  // Imports of another package by relative path: its src from a test, its dist from a script.
  "apps/api/test/harness.ts": 'import { q } from "../../../packages/db/src/query.js";\nexport { q };\n',
  "scripts/run.ts": 'import { core } from "../packages/core/dist/index.js";\nexport { core };\n',
  "packages/core/dist/index.js": "export const core = 1;\n",
  // Not a breach: a package's own files by relative path.
  "apps/api/test/own.ts": 'import { text } from "../src/raw.js";\nexport { text };\n',
  // CLI files: one over the limit; one at it and a long test, which are not.
  "apps/cli/src/long.ts": "export const x = 1;\n".repeat(201),
  "apps/cli/src/at-limit.ts": "export const y = 1;\n".repeat(200),
  "apps/cli/src/long.test.ts": "export const z = 1;\n".repeat(300),
  // A cycle, one of whose imports is type-only.
  "packages/core/src/a.ts": 'import type { B } from "./b.js";\nexport interface A { b?: B }\n',
  "packages/core/src/b.ts": 'import { c } from "./c.js";\nexport interface B { c: typeof c }\n',
  "packages/core/src/c.ts": 'import type { A } from "./a.js";\nexport const c: A = {};\n',
};

/** What the check says of {@link TREE}. */
const BREACHES = [
  'apps/api/src/raw.ts:2: query-outside-db: SQL text "delete from runs"; queries belong in packages/db',
  "apps/api/src/raw.ts:3: query-outside-db: uses CompiledQuery; queries belong in packages/db",
  "apps/api/src/raw.ts:4: query-outside-db: calls .executeQuery(); queries belong in packages/db",
  "apps/api/test/harness.ts: relative-import-of-package: imports packages/db/src/query.ts; import the package by its name",
  "apps/cli/src/long.ts: long-cli-file: 201 lines, over 200; keep use cases out of the CLI",
  'apps/cli/src/savepoint.ts:1: query-outside-db: SQL text "savepoint s"; queries belong in packages/db',
  "packages/core/src/a.ts: import-cycle: packages/core/src/a.ts -> packages/core/src/b.ts -> packages/core/src/c.ts -> packages/core/src/a.ts",
  "packages/validator/src/builds.ts:3: query-outside-db: calls .selectFrom(); queries belong in packages/db",
  "packages/validator/src/clean.ts: undeclared-dependency: imports kysely, which packages/validator/package.json declares as a devDependency only; add it to dependencies",
  "packages/validator/src/uses-sql.ts: undeclared-dependency: imports kysely, which packages/validator/package.json declares as a devDependency only; add it to dependencies",
  "packages/validator/src/uses-sql.ts:1: query-outside-db: value import of kysely; queries belong in packages/db",
  "packages/validator/src/uses-sql.ts:2: query-outside-db: sql template; queries belong in packages/db",
  "scripts/run.ts: relative-import-of-package: imports packages/core/dist/index.js; import the package by its name",
];

let root: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "boundaries-"));
  for (const [file, text] of Object.entries(TREE)) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), text);
  }
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("checkBoundaries", () => {
  it("names each breach on one line, and nothing else", async () => {
    const { violations } = await checkBoundaries(root);
    expect(violations.map((violation) => violation.line)).toEqual(BREACHES);
  }, 60_000);

  it("lets allowed breaches through and names allowances no longer needed", async () => {
    const { violations, unneeded } = await checkBoundaries(root, [
      { rule: "long-cli-file", files: ["apps/cli/src/long.ts"], why: "test" },
      {
        rule: "import-cycle",
        files: ["packages/core/src/a.ts", "packages/core/src/b.ts", "packages/core/src/c.ts"],
        why: "test",
      },
      { rule: "query-outside-db", files: ["packages/validator/src/clean.ts"], why: "test" },
    ]);
    expect(violations.map((violation) => violation.line)).toEqual(
      BREACHES.filter((line) => !line.includes(": long-cli-file: ") && !line.includes(": import-cycle: ")),
    );
    expect(unneeded.map((entry) => entry.files)).toEqual([["packages/validator/src/clean.ts"]]);
  }, 60_000);
});
