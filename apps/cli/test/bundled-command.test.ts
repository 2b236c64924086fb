import { readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// The command is an esbuild bundle (build-bin.mjs): what it still imports by name must be installed with the
// package, or `npm install patternloop` gives a command that fails at its first database.
const dist = new URL("../dist/", import.meta.url);
const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
const bundleFiles = readdirSync(dist).filter(
  (name) => name.endsWith(".js") && /-[A-Z0-9]{8}\.js$|^bin\.js$|-worker\.js$/.test(name),
);

// How esbuild writes a module's imports: a static one alone on its line, a lazy one as `import("…")`, and a
// bundled CommonJS library's require() through its `__require` helper.
const IMPORT_FORMS = [
  /^import\s[^;]*?\bfrom\s*"([^"]+)";?$/gm,
  /^import\s*"([^"]+)";?$/gm,
  /\bimport\("([^"]+)"\)/g,
  /\b__require\d*\("([^"]+)"\)/g,
];

/** The bare specifiers (not relative, not Node's own modules) that a bundled file imports. */
function bareImports(source: string): string[] {
  const found = IMPORT_FORMS.flatMap((form) => [...source.matchAll(form)].map((match) => match[1] ?? ""));
  return found.filter(
    (name) => !name.startsWith(".") && !name.startsWith("node:") && !builtinModules.includes(name),
  );
}

describe("the bundled patternloop command", () => {
  it("imports by name only the dependencies its package declares", () => {
    expect(bundleFiles).toContain("bin.js");
    const imported = new Set(
      bundleFiles.flatMap((name) => bareImports(readFileSync(new URL(name, dist), "utf8"))),
    );
    expect([...imported].sort()).toEqual(["better-sqlite3", "pg"]);
    for (const name of imported) expect(Object.keys(manifest.dependencies)).toContain(name);
  });

  it("has, beside its chunks, every worker module the packages it bundles start", () => {
    // A worker's module is found beside the module that starts it, so build-bin.mjs lists each as an entry.
    const packages = Object.keys(manifest.dependencies).filter((name) => name.startsWith("@patternloop/"));
    const workers = packages.flatMap((name) => {
      const folder = dirname(fileURLToPath(import.meta.resolve(name)));
      return (readdirSync(folder, { recursive: true }) as string[])
        .filter((file) => file.endsWith(".js"))
        .filter((file) => /\bparentPort\b/.test(readFileSync(join(folder, file), "utf8")))
        .map((file) => basename(file));
    });
    expect(workers.length).toBeGreaterThan(0);
    for (const worker of workers) expect(bundleFiles).toContain(worker);
  });

  it("carries the licence of every library it copies code from", () => {
    const notices = readFileSync(new URL("THIRD-PARTY-LICENSES.txt", dist), "utf8");
    for (const library of ["kysely", "zod", "commander", "hono"])
      expect(notices).toMatch(new RegExp(`^${library}@`, "m"));
  });
});
