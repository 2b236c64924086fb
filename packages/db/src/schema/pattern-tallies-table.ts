/**
 * `pattern_command_tallies`: a pattern's `CommandTally` (see @patternloop/core) as JSON text, folded from
 * its occurrences up to the watermark. Derived data: `foldPatternTallies` keeps it and may rebuild it.
 */
export interface PatternCommandTalliesTable {
  pattern_id: number;
  tally: string;
}

/**
 * `pattern_pair_tallies`: for two patterns (each pair in both directions), the runs both occurred in and the
 * runs where both were seen in one tool call.
 */
export interface PatternPairTalliesTable {
  pattern_id: number;
  other_id: number;
  same_run: number;
  same_command: number;
}

/**
 * `pattern_tally_watermark`: one row (id 1). The tallies hold every occurrence with an id up to
 * `folded_through`, `folded_count` of them; fewer occurrences there now means some were removed.
 */
export interface PatternTallyWatermarkTable {
  id: number;
  folded_through: number;
  folded_count: number;
}
