import type { Random } from "./random.js";
import type { WorkKind } from "./requests.js";

type Weighted = readonly (readonly [string, number])[];

/** ADW's isolated workflows: mostly full lifecycles, some single-phase ones. */
const TEMPLATES: Weighted = [
  ["adw_sdlc_iso", 30],
  ["adw_plan_build_iso", 20],
  ["adw_plan_build_test_iso", 15],
  ["adw_patch_iso", 15],
  ["adw_plan_build_review_iso", 6],
  ["adw_sdlc_zte_iso", 4],
  ["adw_test_iso", 5],
  ["adw_review_iso", 3],
];

/** A template for a run; documentation requests mostly go through `adw_document_iso`. */
export function drawWorkflowTemplate(random: Random, kind: WorkKind): string {
  if (kind === "docs" && random.chance(0.6)) return "adw_document_iso";
  return random.weighted(TEMPLATES);
}

/** How much longer than a patch a template's run takes (plan, build, test, review phases). */
export function templateDurationFactor(template: string): number {
  if (template.startsWith("adw_sdlc")) return 1.6;
  if (template === "adw_plan_build_test_iso" || template === "adw_plan_build_review_iso") return 1.3;
  return 1;
}

/** ADW runs are configured with a model set: Sonnet by default, Opus for heavy work, Haiku for light. */
const MODELS: Weighted = [
  ["claude-sonnet-4-5-20250929", 45],
  ["claude-sonnet-4-6", 20],
  ["claude-opus-4-6", 20],
  ["claude-haiku-4-5-20251001", 15],
];

export function drawModel(random: Random): string {
  return random.weighted(MODELS);
}
