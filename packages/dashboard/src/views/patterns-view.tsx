import type { PatternQuery, SortKey } from "../load/pattern-query.js";
import type { PatternListRow, PatternsData } from "../load/patterns-data.js";
import { Num } from "./figure.js";
import { count, day, percent, usd } from "./format.js";
import { Empty } from "./layout.js";
import type { Links } from "./links.js";
import { SavingsNote } from "./savings-note.js";

/** At most this many rows are drawn; the filters narrow the rest. */
export const MAX_ROWS = 200;

const COLUMNS: { key: SortKey; label: string }[] = [
  { key: "occurrences", label: "runs" },
  { key: "cost_per_use", label: "cost per use" },
  { key: "scriptability", label: "scriptability" },
  { key: "savings", label: "savings a month" },
  { key: "scriptable_savings", label: "a script reaches" },
  { key: "confidence", label: "confidence" },
  { key: "live_accuracy", label: "accuracy live" },
  { key: "replayed_accuracy", label: "accuracy replayed" },
  { key: "last_seen", label: "last seen" },
];

export function PatternsView(props: { data: PatternsData; links: Links }) {
  const { rows, query, choices } = props.data;
  const shown = rows.slice(0, MAX_ROWS);
  const filtered = query.category !== "" || query.status !== "" || query.project !== "";
  return (
    <>
      <h1>Patterns</h1>
      <Filters data={props.data} links={props.links} />
      {rows.length === 0 ? (
        <Empty>
          {filtered ? (
            <>
              No pattern matches these filters. <a href={props.links.patterns()}>Show every pattern</a>.
            </>
          ) : (
            <>
              No patterns yet: run <code>patternloop backfill</code> to find the operations repeated in the
              history.
            </>
          )}
        </Empty>
      ) : (
        <table data-pattern-table="">
          <caption>
            {`${count(rows.length)} pattern${rows.length === 1 ? "" : "s"}`}
            {rows.length > shown.length ? `, the first ${count(shown.length)} shown` : ""}
            {`, by ${COLUMNS.find((c) => c.key === query.sort)?.label ?? query.sort} (${query.dir === "desc" ? "highest" : "lowest"} first)`}
          </caption>
          <thead>
            <tr>
              <th scope="col">pattern</th>
              <th scope="col">category</th>
              <th scope="col">status</th>
              {COLUMNS.map((column) => (
                <SortHeader column={column} query={query} links={props.links} />
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((row) => (
              <PatternRow row={row} links={props.links} />
            ))}
          </tbody>
        </table>
      )}
      {choices.categories.length === 0 ? null : <SavingsNote assumptions={props.data.assumptions} />}
      <p class="note">
        Cost per use is the mean LLM cost attributed to one occurrence. Scriptability is the share of runs
        that used the most common command, less the share that needed free text. “A script reaches” is the
        monthly savings × scriptability. Accuracy is of the validated predictions, live at run start and
        replayed over the history apart.
      </p>
    </>
  );
}

function SortHeader(props: { column: { key: SortKey; label: string }; query: PatternQuery; links: Links }) {
  const { column, query } = props;
  const current = query.sort === column.key;
  const dir = current && query.dir === "desc" ? "asc" : "desc";
  const sort = current ? (query.dir === "desc" ? "descending" : "ascending") : undefined;
  return (
    <th scope="col" class="num" aria-sort={sort} data-sort-key={column.key}>
      {props.links.inPage ? (
        <button type="button" data-sort={column.key}>
          {column.label}
        </button>
      ) : (
        <a href={props.links.patterns({ ...query, sort: column.key, dir })}>{column.label}</a>
      )}
    </th>
  );
}

function PatternRow(props: { row: PatternListRow; links: Links }) {
  const { row } = props;
  return (
    <tr data-category={row.pattern_type} data-status={row.automation_status}>
      <th scope="row">
        <a href={props.links.pattern(row.id)}>
          <code>{row.pattern_signature}</code>
        </a>
      </th>
      <td>{row.pattern_type}</td>
      <td>
        <span class="status">{row.automation_status}</span>
      </td>
      <Num figure="occurrence_count" value={row.occurrence_count}>
        {count(row.occurrence_count)}
      </Num>
      <Num figure="avg_cost_with_llm" value={row.avg_cost_with_llm}>
        {usd(row.avg_cost_with_llm)}
      </Num>
      <Num figure="scriptability" value={row.scriptability}>
        {percent(row.scriptability)}
      </Num>
      <Num figure="potential_monthly_savings" value={row.potential_monthly_savings}>
        {usd(row.potential_monthly_savings)}
      </Num>
      <Num figure="scriptable_monthly_savings" value={row.scriptable_monthly_savings}>
        {usd(row.scriptable_monthly_savings)}
      </Num>
      <Num figure="confidence_score" value={row.confidence_score}>
        {row.confidence_score.toFixed(1)}
      </Num>
      <Num figure="live_accuracy" value={row.live.accuracy}>
        {accuracy(row.live.accuracy, row.live.validations)}
      </Num>
      <Num figure="replayed_accuracy" value={row.replayed.accuracy}>
        {accuracy(row.replayed.accuracy, row.replayed.validations)}
      </Num>
      <td class="num" data-figure="last_seen" data-value={row.last_seen ?? ""}>
        {day(row.last_seen)}
      </td>
    </tr>
  );
}

const accuracy = (value: number | null, validations: number) =>
  value === null ? "-" : `${percent(value)} (${count(validations)})`;

/** The filters as a GET form, so that they work without scripts (the report filters in the page). */
function Filters(props: { data: PatternsData; links: Links }) {
  const { query, choices } = props.data;
  const select = (name: "category" | "status" | "project", label: string, options: string[]) => (
    <label>
      {label}
      <select name={name} id={`filter-${name}`}>
        <option value="">all</option>
        {options.map((option) => (
          <option value={option} selected={query[name] === option}>
            {option}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <form class="filters" method="get" action={props.links.patterns()} aria-label="Filter the patterns">
      {select("category", "Category", choices.categories)}
      {select("status", "Status", choices.statuses)}
      {props.links.inPage ? null : select("project", "Project", choices.projects)}
      {props.links.inPage ? null : <input type="hidden" name="sort" value={query.sort} />}
      {props.links.inPage ? null : <input type="hidden" name="dir" value={query.dir} />}
      <button type="submit">Apply</button>
    </form>
  );
}
