/** Nesting a tool input may have; deeper JSON is refused rather than overflowing the stack later. */
export const MAX_INPUT_DEPTH = 64;

/** True when `value` nests no deeper than `limit` arrays and objects (checked without recursion). */
export function withinDepth(value: unknown, limit = MAX_INPUT_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop() as [unknown, number];
    if (item === null || typeof item !== "object") continue;
    if (depth >= limit) return false;
    for (const child of Array.isArray(item) ? item : Object.values(item)) stack.push([child, depth + 1]);
  }
  return true;
}
