// Bundles the `patternloop` command into dist/ (after tsc has written the library): the command, with the
// workspace packages and the libraries it uses, in one entry file and a chunk per command. Node 20 loads
// each ES module file separately, and the unbundled command loaded about 800 of them (kysely alone is 287),
// which took longer than most commands' own work. Only the native and driver packages stay imports.
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL(".", import.meta.url));
const dist = join(root, "dist");
const distOf = (name) => dirname(fileURLToPath(import.meta.resolve(name)));

// A worker thread's module is found beside the module that starts it (`startWorker`, `readWorkflowRuns`), so
// each is an entry of its own, named as its package names it, in the same folder as the chunks.
const workers = {
  "detection-worker": join(distOf("@patternloop/db"), "backfill/detection-worker.js"),
  "checkpoint-worker": join(distOf("@patternloop/db"), "sqlite/checkpoint-worker.js"),
  "read-runs-worker": join(distOf("@patternloop/ingest"), "workflows/read-runs-worker.js"),
};

const result = await build({
  entryPoints: { bin: join(root, "src/bin.ts"), ...workers },
  outdir: dist,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  // Native code, and pg's optional native binding: installed as the package's own dependencies.
  external: ["better-sqlite3", "pg", "pg-native"],
  // Bundled CommonJS libraries call require() for Node's own modules, which an ES module has not.
  banner: {
    js: 'import { createRequire as createRequireForBundle } from "node:module"; const require = createRequireForBundle(import.meta.url);',
  },
  metafile: true,
  logLevel: "warning",
});

// The dashboard reads its script and style beside its module, which is now a chunk in dist/.
cpSync(join(distOf("@patternloop/dashboard"), "assets"), join(dist, "assets"), { recursive: true });
writeFileSync(
  join(dist, "THIRD-PARTY-LICENSES.txt"),
  thirdPartyLicenses(Object.keys(result.metafile.inputs)),
);

/** The name, version, licence and licence text of every library the bundle copies code from. */
function thirdPartyLicenses(inputs) {
  const folders = new Set();
  for (const input of inputs) {
    const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/@.][^/]*)\//.exec(input);
    if (match) folders.add(join(root, match[1]));
  }
  const sections = [...folders].map((folder) => {
    const manifest = JSON.parse(readFileSync(join(folder, "package.json"), "utf8"));
    const file = readdirSync(folder).find((name) => /^(licen[cs]e|copying)/i.test(name));
    const text =
      file === undefined ? "(no licence file in the package)" : readFileSync(join(folder, file), "utf8");
    return `${manifest.name}@${manifest.version} (${manifest.license ?? "no licence field"})\n\n${text.trim()}\n`;
  });
  const header = "The `patternloop` command bundles code from these libraries; their licences follow.\n";
  return [header, ...sections.sort()].join(`\n${"-".repeat(78)}\n\n`);
}

if (!existsSync(join(dist, "bin.js"))) throw new Error("build-bin: no dist/bin.js was written");
