/** `category:subcategory:target`, lower case, three non-empty parts of `[a-z0-9_-]` (§2). */
export type Signature = `${string}:${string}:${string}`;

const SIGNATURE = /^[a-z0-9_-]+:[a-z0-9_-]+:[a-z0-9_-]+$/;

/** Categories detection produces. More may be added, but never a whole orchestration flow. */
export const CATEGORIES = ["test", "build", "format", "git", "deps", "docs", "ci"] as const;
export type Category = (typeof CATEGORIES)[number];

/** Targets of test and build signatures. */
export const TARGETS = ["backend", "frontend", "both", "all"] as const;
export type Target = (typeof TARGETS)[number];

export interface SignatureParts {
  category: string;
  subcategory: string;
  target: string;
}

/** True when `value` is a well-formed signature. */
export function isValidSignature(value: string): value is Signature {
  return SIGNATURE.test(value);
}

/**
 * Lower-cases, trims and replaces characters outside `[a-z0-9_-]` in each part; undefined when the
 * result is not three non-empty parts.
 *
 * @example normalizeSignature(" Test:PyTest:Backend ") // "test:pytest:backend"
 */
export function normalizeSignature(value: string): Signature | undefined {
  const parts = value.trim().toLowerCase().split(":");
  if (parts.length !== 3) return undefined;
  const cleaned = parts.map((part) =>
    part
      .trim()
      .replace(/[^a-z0-9_-]+/g, "-")
      .replace(/^-+|-+$/g, ""),
  );
  const candidate = cleaned.join(":");
  return isValidSignature(candidate) ? candidate : undefined;
}

/** Splits a valid signature into its parts; undefined for an invalid one. */
export function parseSignature(value: string): SignatureParts | undefined {
  if (!isValidSignature(value)) return undefined;
  const [category, subcategory, target] = value.split(":") as [string, string, string];
  return { category, subcategory, target };
}

/** Builds a signature from parts, normalizing each; undefined when a part is empty after cleaning. */
export function formatSignature(parts: SignatureParts): Signature | undefined {
  return normalizeSignature(`${parts.category}:${parts.subcategory}:${parts.target}`);
}
