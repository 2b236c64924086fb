import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** The folders of the packages that are published: every `packages/*` and `apps/*` with a package.json. */
export function publishedPackages(root: string): string[] {
  return ["packages", "apps"].flatMap((parent) =>
    readdirSync(join(root, parent))
      .map((name) => join(root, parent, name))
      .filter((folder) => {
        try {
          return JSON.parse(readFileSync(join(folder, "package.json"), "utf8")).private !== true;
        } catch {
          return false;
        }
      }),
  );
}

/**
 * Packs each package with `pnpm pack` (which turns `workspace:*` into the version), into `destination`;
 * returns the tarballs' paths.
 */
export function packPackages(folders: readonly string[], destination: string): string[] {
  return folders.map((folder) => {
    const output = execFileSync("pnpm", ["pack", "--pack-destination", destination], {
      cwd: folder,
      encoding: "utf8",
    });
    const tarball = output.trim().split("\n").at(-1)?.trim();
    if (tarball === undefined || !tarball.endsWith(".tgz"))
      throw new Error(`pnpm pack in ${folder}: ${output}`);
    return tarball;
  });
}

/**
 * What is wrong with a tarball's content, unpacked into `scratch`: no LICENSE or README, a `workspace:`
 * range left in its package.json, or a source map without the sources it maps (`src/` is not packed, so a
 * map must carry them).
 */
export function tarballProblems(tarball: string, scratch: string): string[] {
  mkdirSync(scratch, { recursive: true });
  execFileSync("tar", ["xzf", tarball, "-C", scratch]);
  const root = join(scratch, "package");
  const files = (readdirSync(root, { recursive: true }) as string[]).map((name) =>
    name.split("\\").join("/"),
  );
  const problems: string[] = [];
  for (const needed of ["LICENSE", "README.md", "package.json"])
    if (!files.includes(needed)) problems.push(`no ${needed}`);
  if (
    files.includes("package.json") &&
    readFileSync(join(root, "package.json"), "utf8").includes('"workspace:')
  )
    problems.push("package.json keeps a workspace: range");
  for (const map of files.filter((file) => file.endsWith(".map"))) {
    const parsed = JSON.parse(readFileSync(join(root, map), "utf8")) as {
      sources: string[];
      sourcesContent?: unknown[];
    };
    if (parsed.sourcesContent?.length !== parsed.sources.length)
      problems.push(`${map} maps ${parsed.sources.join(", ")} without their content`);
  }
  return problems;
}
