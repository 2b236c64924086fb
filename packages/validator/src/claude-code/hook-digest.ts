import { createHash } from "node:crypto";

/**
 * What identifies a hook payload: the SHA-256 of its JSON with the keys of every object sorted, so that two
 * copies that differ only in key order, spacing or the spelling of a number are one delivery.
 */
export function hookDigest(payload: unknown): string {
  return sha256(canonicalJson(payload));
}

/**
 * The digest earlier versions kept, of the JSON in the order its keys arrived. Looked up besides
 * {@link hookDigest}, so that a log received before an upgrade is still recognised when it is replayed.
 */
export function arrivalOrderDigest(payload: unknown): string {
  return sha256(JSON.stringify(payload));
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** JSON text of a parsed JSON value with each object's keys in sorted order, at every level. */
export function canonicalJson(value: unknown): string {
  // As JSON.stringify writes them: an undefined member is left out, an undefined array element is null.
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const object = value as Record<string, unknown>;
    const members = Object.keys(object)
      .filter((key) => object[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(object[key])}`);
    return `{${members.join(",")}}`;
  }
  return JSON.stringify(value);
}
