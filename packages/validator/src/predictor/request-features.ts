import { createDetector, splitWords } from "@patternloop/core";

/** What is known of a run when it starts: its request and template. */
export interface PredictionRequest {
  nl_input?: string | null;
  workflow_template?: string | null;
}

const STOP_WORDS = new Set(
  "the a an and or to of in on for with is it this that be i you we me my your our please can could should would will at as by from are was were have has do does not no so if then than but just also all any some into out up its it's there their them they these those what which when where how".split(
    " ",
  ),
);
/** Long requests (whole issue texts) are read up to this many words. */
const MAX_WORDS = 300;

// Only intent sources: at run start nothing has executed yet.
const mentions = createDetector({ sources: ["request", "template"] });

/** A feature the predictor learns on: a word, the template, or a pattern the request names outright. */
export type Feature = `bias` | `word:${string}` | `template:${string}` | `mention:${string}`;

/** The features of a request: a bias, its distinct content words, its template, and the patterns it names. */
export function requestFeatures(request: PredictionRequest): { features: Feature[]; mentioned: string[] } {
  const features = new Set<Feature>(["bias"]);
  for (const word of splitWords(request.nl_input ?? "").slice(0, MAX_WORDS)) {
    if (word.length > 1 && !STOP_WORDS.has(word)) features.add(`word:${word}`);
  }
  if (request.workflow_template) features.add(`template:${request.workflow_template}`);
  const mentioned = mentions({
    nl_input: request.nl_input,
    workflow_template: request.workflow_template,
  }).map((pattern) => pattern.signature as string);
  for (const signature of mentioned) features.add(`mention:${signature}`);
  return { features: [...features], mentioned };
}
