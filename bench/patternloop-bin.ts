import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The file of the `patternloop` command, from the `bin` of the package of that name (a dev dependency of the
 * workspace root): its entry is resolved by name, then the package's own package.json is read, since its
 * `exports` do not list that file. Throws when the package is not built.
 */
export function patternloopBin(): string {
  let dir = dirname(fileURLToPath(import.meta.resolve("patternloop")));
  for (;;) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest)) {
      const pkg = JSON.parse(readFileSync(manifest, "utf8")) as {
        name?: string;
        bin?: Record<string, string>;
      };
      const bin = pkg.name === "patternloop" ? pkg.bin?.patternloop : undefined;
      if (bin !== undefined) return join(dir, bin);
    }
    if (dirname(dir) === dir) throw new Error("cannot find the package.json of patternloop");
    dir = dirname(dir);
  }
}
