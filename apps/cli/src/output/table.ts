import { escapeLogText } from "@patternloop/core";
import Table from "cli-table3";
import { useColour } from "./colour.js";
import { fitColumns, MAX_WIDTH, truncate, widthOf } from "./fit-width.js";

export interface Column<T> {
  header: string;
  value: (row: T) => string;
  align?: "left" | "right";
  /**
   * The narrowest this column may be cut to (with `…`) when the table would be wider than {@link MAX_WIDTH}:
   * for free text, commands, lists. Columns without it are never cut.
   */
  shrink?: number;
}

/**
 * A table of rows; boxed on a terminal, plain aligned text when piped; headers in colour where
 * {@link useColour} allows. Columns marked `shrink` are cut so the table fits {@link MAX_WIDTH} columns. Every cell is escaped: a workflow
 * id or a request comes from the input, and a line break, ESC or BEL in it must neither forge a line nor
 * drive the reader's terminal.
 */
export function renderTable<T>(columns: readonly Column<T>[], rows: readonly T[]): string {
  const boxed = process.stdout.isTTY === true;
  const colour = useColour();
  const table = new Table({
    // Coloured here rather than through cli-table3's `style.head`: its colour library has its own rules (it
    // turns colour off wherever a `CI` variable is set), and ours are the ones documented.
    head: columns.map((column) => (colour ? cyan(column.header) : column.header)),
    colAligns: columns.map((column) => column.align ?? "left"),
    style: {
      head: [],
      border: [],
      compact: !boxed,
      "padding-left": boxed ? 1 : 0,
      "padding-right": boxed ? 1 : 2,
    },
    chars: boxed ? {} : PLAIN,
  });
  const cells = rows.map((row) => columns.map((column) => escapeLogText(column.value(row))));
  const natural = columns.map((column, i) =>
    Math.max(widthOf(column.header), ...cells.map((cell) => widthOf(cell[i] ?? ""))),
  );
  // Padding (one a side when boxed, two after when plain) and, boxed, a border between and around columns.
  const overhead = boxed ? columns.length * 3 + 1 : columns.length * 2;
  const widths = fitColumns(
    natural,
    columns.map((column) => column.shrink),
    overhead,
    MAX_WIDTH,
  );
  for (const cell of cells) table.push(cell.map((text, i) => truncate(text, widths[i] ?? text.length)));
  return `${table.toString()}\n`;
}

const cyan = (text: string) => `\u001b[36m${text}\u001b[39m`;

const PLAIN = {
  top: "",
  "top-mid": "",
  "top-left": "",
  "top-right": "",
  bottom: "",
  "bottom-mid": "",
  "bottom-left": "",
  "bottom-right": "",
  left: "",
  "left-mid": "",
  mid: "",
  "mid-mid": "",
  right: "",
  "right-mid": "",
  middle: "",
};
