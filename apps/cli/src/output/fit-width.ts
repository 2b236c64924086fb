/** The width most readers' terminals and code review panes show without wrapping. */
export const MAX_WIDTH = 100;

/** Columns a string takes, counting each code point as one. */
export const widthOf = (text: string) => [...text].length;

/** `text` cut to `width` columns, its end replaced by `…` when cut. */
export function truncate(text: string, width: number): string {
  const chars = [...text];
  return chars.length <= width ? text : `${chars.slice(0, Math.max(width - 1, 0)).join("")}…`;
}

/**
 * `text` wrapped at spaces into lines of at most `width` columns; the lines after the first are indented two
 * more than the first (a run-on line reads as one item). A word longer than a line is cut, never overflows.
 */
export function wrapText(text: string, width: number = MAX_WIDTH): string {
  if (widthOf(text) <= width) return text;
  const indent = text.match(/^ */)?.[0] ?? "";
  const hanging = `${indent}  `;
  const lines: string[] = [];
  let line = indent;
  for (const word of text.trim().split(/ +/)) {
    const prefix = lines.length === 0 ? indent : hanging;
    if (line !== prefix && widthOf(line) + 1 + widthOf(word) > width) {
      lines.push(line);
      line = hanging;
    }
    const start = line === indent || line === hanging ? line : `${line} `;
    line = truncate(`${start}${word}`, width);
  }
  lines.push(line);
  return lines.join("\n");
}

/**
 * The widths of a table's columns once the shrinkable ones are narrowed so the whole table fits `maxWidth`
 * with `overhead` columns of padding and borders. `floors` holds each column's narrowest width, `undefined`
 * for a column that is never cut; the column with the most to spare above its floor is cut first, so a long
 * command keeps more of itself than a short list beside it.
 */
export function fitColumns(
  natural: readonly number[],
  floors: readonly (number | undefined)[],
  overhead: number,
  maxWidth: number,
): number[] {
  const widths = [...natural];
  const spare = (i: number) => (widths[i] ?? 0) - (floors[i] ?? Number.POSITIVE_INFINITY);
  let excess = widths.reduce((sum, width) => sum + width, overhead) - maxWidth;
  while (excess > 0) {
    let most = -1;
    for (let i = 0; i < widths.length; i++)
      if (spare(i) > 0 && (most === -1 || spare(i) > spare(most))) most = i;
    if (most === -1) break;
    widths[most] = (widths[most] ?? 0) - 1;
    excess--;
  }
  return widths;
}
