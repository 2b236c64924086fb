import type { PatternCommands } from "@patternloop/db";
import { count, percent } from "./format.js";
import { renderTable } from "./table.js";

const PLACES = 3;

/** The scriptability line, the commands that performed the pattern, and what ran with it, for `details`. */
export function describePatternCommands(details: PatternCommands): string[] {
  const s = details.scriptability;
  const lines = [
    `  scriptability: ${percent(s.scriptability)} (most common command in ${percent(s.top_command_share)} of runs, free text the agent writes in ${percent(s.free_text_share)} of runs with a command; ${count(s.runs_with_commands)} of ${count(s.occurrences)} runs ran a command, ${count(s.distinct_commands)} distinct)`,
    "",
    "Commands (normalised: paths <paths>, messages <message>, free text <text>; cd, output filters and echo left out)",
  ];
  if (details.commands.length === 0)
    lines.push("  none: no run of this pattern executed a matching command", "");
  else
    lines.push(
      renderTable(
        [
          {
            header: "runs",
            value: (c: PatternCommands["commands"][number]) => count(c.count),
            align: "right",
          },
          { header: "calls", value: (c) => count(c.calls), align: "right" },
          { header: "free text", value: (c) => (c.free_text ? "yes" : "no") },
          { header: "command", value: (c) => c.command, shrink: 30 },
          { header: "directories", value: (c) => tallies(c.directories), shrink: 12 },
          { header: "projects", value: (c) => tallies(c.projects), shrink: 12 },
        ],
        details.commands,
      ),
    );
  if (details.run_together.length > 0) {
    lines.push(
      "Run together with",
      renderTable(
        [
          { header: "pattern", value: (t: PatternCommands["run_together"][number]) => t.pattern_signature },
          { header: "same command", value: (t) => count(t.same_command), align: "right" },
          { header: "same run", value: (t) => count(t.same_run), align: "right" },
        ],
        details.run_together,
      ),
    );
  }
  return lines;
}

/** `app/server (12), web (3), +2 more`: the first few names with their runs. */
function tallies(list: readonly { name: string; count: number }[]): string {
  if (list.length === 0) return "-";
  const shown = list.slice(0, PLACES).map((entry) => `${entry.name} (${count(entry.count)})`);
  return list.length > PLACES ? `${shown.join(", ")}, +${list.length - PLACES} more` : shown.join(", ");
}
