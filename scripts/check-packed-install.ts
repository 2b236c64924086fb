/**
 * `pnpm check:packed` (run by `.ci/run`): packs every published package as `pnpm pack` would for a release,
 * installs the tarballs with npm into a scratch project (isolated node_modules, so that a package only sees
 * what it declares), and runs the installed `patternloop` from another directory: `--version`, `demo`,
 * `ingest`, `serve`. It needs npm and its registry (the tarballs' dependencies come from there) and a build;
 * without npm or the registry it says so and stops with exit 0.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { packPackages, publishedPackages, tarballProblems } from "./packed-install/pack-workspace.js";
import { checkInstalledCli, runOk } from "./packed-install/run-installed.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const say = (line: string) => console.error(`packed install: ${line}`);

const missing = whyNpmCannotInstall();
if (missing !== undefined) {
  say(`skipped: ${missing}`);
  process.exit(0);
}

const work = mkdtempSync(join(tmpdir(), "patternloop-packed-"));
try {
  const tarballs = packPackages(publishedPackages(root), join(work, "tarballs"));
  const problems = tarballs.flatMap((tarball) =>
    tarballProblems(tarball, join(work, "unpacked", basename(tarball))).map(
      (problem) => `${basename(tarball)}: ${problem}`,
    ),
  );
  if (problems.length > 0) throw new Error(problems.join("\n"));
  say(`packed ${tarballs.map((tarball) => basename(tarball)).join(", ")}`);

  const project = join(work, "project");
  mkdirSync(project);
  writeFileSync(join(project, "package.json"), '{ "name": "packed-install-check", "private": true }\n');
  // better-sqlite3 builds from source where no prebuilt binary can be downloaded: against the local headers.
  if (process.env.npm_config_nodedir === undefined && existsSync("/usr/include/node"))
    process.env.npm_config_nodedir = "/usr";
  say("npm install of the tarballs (isolated node_modules; better-sqlite3 may compile, a minute or two)");
  // A compile of better-sqlite3 on a busy machine takes minutes.
  const install = ["install", "--no-audit", "--no-fund", "--install-strategy=linked", ...tarballs];
  runOk("npm", install, project, 20 * 60_000);

  const version = JSON.parse(readFileSync(join(root, "apps/cli/package.json"), "utf8")).version as string;
  const npx = runOk("npx", ["--no-install", "patternloop", "--version"], project).trim();
  if (npx !== version) throw new Error(`npx patternloop --version printed "${npx}", not ${version}`);
  say(`npx patternloop --version in the project prints ${version}`);
  const imports = publishedPackages(root)
    .map((folder) => JSON.parse(readFileSync(join(folder, "package.json"), "utf8")).name as string)
    .map((name) => `await import(${JSON.stringify(name)});`)
    .join(" ");
  runOk("node", ["--input-type=module", "-e", imports], project);
  say("every package imports by its name from the project");
  const bin = join(project, "node_modules", ".bin", "patternloop");
  for (const line of await checkInstalledCli(bin, version, join(work, "elsewhere"))) say(line);
  say("ok");
} catch (error) {
  say(`FAILED: ${error instanceof Error ? error.message : String(error)}`);
  say(`left ${work} for a look`);
  process.exitCode = 1;
}
if (process.exitCode !== 1) rmSync(work, { recursive: true, force: true });

/** Why npm cannot install the tarballs here (no npm, no registry), or undefined when it can. */
function whyNpmCannotInstall(): string | undefined {
  const npm = spawnSync("npm", ["--version"], { encoding: "utf8" });
  if (npm.error !== undefined || npm.status !== 0) return "npm is not on PATH";
  const ping = spawnSync("npm", ["ping"], { encoding: "utf8", timeout: 30_000 });
  if (ping.status !== 0)
    return `npm cannot reach its registry (npm ping: ${(ping.stderr || "timed out").trim().split("\n").at(-1)})`;
  return undefined;
}
