import type { PatternloopDatabase } from "@patternloop/db";
import { count } from "./format.js";

/**
 * What opening the database changed in it, or that it was read through an upgraded copy in memory: lines
 * for stderr, empty when there is nothing to say. Adopting an ADW history renames its pattern tables and
 * adds columns its owner will notice, so it is never silent.
 */
export function describeUpgrade({ upgrade, copy, url }: PatternloopDatabase): string {
  const lines: string[] = [];
  if (copy)
    lines.push(
      `${url} is not on patternloop's schema yet: read through an upgraded copy in memory, the file is not changed (a command that writes, such as backfill without --dry-run, upgrades it in place)`,
    );
  if (upgrade === undefined) return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
  const would = copy ? "would be " : "";
  lines.push(copy ? "what upgrading it in place would change:" : `upgraded ${url} to patternloop's schema:`);
  for (const { from, to } of upgrade.renamed)
    lines.push(`  table ${from} ${would}renamed to ${to} (its rows and columns kept)`);
  if (upgrade.columns_added.length > 0)
    lines.push(
      `  workflow_history: ${count(upgrade.columns_added.length)} columns ${would}added (${upgrade.columns_added.join(", ")}); every existing row and column kept`,
    );
  if (upgrade.patterns_carried > 0)
    lines.push(
      `  operation_patterns: ${count(upgrade.patterns_carried)} legacy patterns ${would}carried over by signature with their tool_name, tool_script_path and review (reviewed_by, reviewed_at, review_notes)`,
    );
  if (upgrade.patterns_left > 0)
    lines.push(
      `  operation_patterns_legacy: ${count(upgrade.patterns_left)} rows whose signature is not category:subcategory:target stay there only`,
    );
  return `${lines.join("\n")}\n`;
}
