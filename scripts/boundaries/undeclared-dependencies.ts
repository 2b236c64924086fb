import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { IModule } from "dependency-cruiser";

/** Source files of a package that ship (and so whose imports its users' installs must satisfy). */
const PACKAGE_SOURCE = /^((?:packages|apps)\/[^/]+)\/src\//;
const TEST = /(\.(test|spec)\.[cm]?[jt]sx?$)|(^|\/)test-support\//;

export interface UndeclaredImport {
  file: string;
  /** The package imported, by its name. */
  imported: string;
  /** The package.json that should declare it, from the repository root. */
  manifest: string;
  /** True when it is declared there, but as a devDependency only. */
  devOnly: boolean;
}

/**
 * Imports of a package's shipped source (type-only ones too: they stay in the published `.d.ts`) that its
 * package.json does not declare in `dependencies` or `peerDependencies`. Such an import works in the
 * workspace only because the package is installed for another one (or hoisted); installed from its tarball,
 * or with isolated node_modules, it fails.
 */
export function findUndeclaredImports(root: string, modules: readonly IModule[]): UndeclaredImport[] {
  const manifests = new Map<string, Manifest | undefined>();
  const found: UndeclaredImport[] = [];
  for (const module of modules) {
    const folder = PACKAGE_SOURCE.exec(module.source)?.[1];
    if (folder === undefined || TEST.test(module.source)) continue;
    if (!manifests.has(folder)) manifests.set(folder, readManifest(join(root, folder, "package.json")));
    const manifest = manifests.get(folder);
    if (manifest === undefined) continue;
    for (const dependency of module.dependencies) {
      const imported = packageNameOf(dependency.module);
      if (imported === undefined || dependency.dependencyTypes.includes("core")) continue;
      if (imported === manifest.name || manifest.declared.has(imported)) continue;
      if (found.some((each) => each.file === module.source && each.imported === imported)) continue;
      found.push({
        file: module.source,
        imported,
        manifest: `${folder}/package.json`,
        devOnly: manifest.devOnly.has(imported),
      });
    }
  }
  return found;
}

interface Manifest {
  name: string | undefined;
  declared: Set<string>;
  devOnly: Set<string>;
}

function readManifest(path: string): Manifest | undefined {
  if (!existsSync(path)) return undefined;
  const json = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
  const keys = (field: string) => Object.keys((json[field] as Record<string, string> | undefined) ?? {});
  return {
    name: typeof json.name === "string" ? json.name : undefined,
    declared: new Set([
      ...keys("dependencies"),
      ...keys("peerDependencies"),
      ...keys("optionalDependencies"),
    ]),
    devOnly: new Set(keys("devDependencies")),
  };
}

/** `kysely` of `kysely`, `@hono/node-server` of `@hono/node-server/x`; undefined for a relative path or `node:`. */
function packageNameOf(specifier: string): string | undefined {
  if (specifier.startsWith(".") || specifier.startsWith("/") || specifier.startsWith("node:"))
    return undefined;
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}
