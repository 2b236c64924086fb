import type { Child } from "hono/jsx";

/**
 * A figure in a card: its rendering, with the raw value and the name the CLI's `--json` gives it beside, so
 * that tests (and scripts) read the figure shown without parsing its rendering.
 */
export function Card(props: { label: string; figure: string; value: number | null; children: Child }) {
  return (
    <div class="card">
      <dt>{props.label}</dt>
      <dd data-figure={props.figure} data-value={props.value === null ? "" : String(props.value)}>
        {props.children}
      </dd>
    </div>
  );
}

/** A numeric table cell carrying its raw value like a card. */
export function Num(props: { figure: string; value: number | null; children: Child }) {
  return (
    <td class="num" data-figure={props.figure} data-value={props.value === null ? "" : String(props.value)}>
      {props.children}
    </td>
  );
}

/** A column heading: its label, or `{ num: label }` for a column of numbers (right-aligned). */
export type Heading = string | { num: string };

/** A table's head row: one `<th scope="col">` per heading. */
export function Heads(props: { columns: readonly Heading[] }) {
  return (
    <thead>
      <tr>
        {props.columns.map((column) =>
          typeof column === "string" ? (
            <th scope="col">{column}</th>
          ) : (
            <th scope="col" class="num">
              {column.num}
            </th>
          ),
        )}
      </tr>
    </thead>
  );
}
