import { escapeLogText } from "@patternloop/core";
import Table from "cli-table3";
import { useColour } from "./colour.js";

export interface Column<T> {
  header: string;
  value: (row: T) => string;
  align?: "left" | "right";
}

/**
 * A table of rows; boxed on a terminal, plain aligned text when piped; headers in colour where
 * {@link useColour} allows. Every cell is escaped: a workflow
 * id or a request comes from the input, and a line break, ESC or BEL in it must neither forge a line nor
 * drive the reader's terminal.
 */
export function renderTable<T>(columns: readonly Column<T>[], rows: readonly T[]): string {
  const boxed = process.stdout.isTTY === true;
  const table = new Table({
    head: columns.map((column) => column.header),
    colAligns: columns.map((column) => column.align ?? "left"),
    style: {
      head: useColour() ? ["cyan"] : [],
      border: [],
      compact: !boxed,
      "padding-left": boxed ? 1 : 0,
      "padding-right": boxed ? 1 : 2,
    },
    chars: boxed ? {} : PLAIN,
  });
  for (const row of rows) table.push(columns.map((column) => escapeLogText(column.value(row))));
  return `${table.toString()}\n`;
}

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
