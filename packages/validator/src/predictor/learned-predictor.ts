import { type Feature, type PredictionRequest, requestFeatures } from "./request-features.js";

/** A pattern expected in a run, with a confidence (0–100) and why. */
export interface Prediction {
  signature: string;
  confidence: number;
  reason: string;
}

export interface PredictorOptions {
  /** Probability from which a pattern is predicted (0–1); default 0.3, chosen by backtest on real histories. */
  threshold?: number;
  /** Runs a pattern must have been seen in before the history alone predicts it; default 5 (rare patterns have noisy weights). */
  minSupport?: number;
  /** Confidence given to a pattern the request names but the history has never shown; default 50. */
  mentionConfidence?: number;
  /** Online learning rate; default 0.3. */
  learningRate?: number;
  /** Weight decay per update, keeps rare words from dominating; default 1e-4. */
  decay?: number;
}

/** A predictor that learns from every finished run; see {@link createPredictor}. */
export interface Predictor {
  /** Learns from a finished run: its request, and the patterns it actually had. */
  learn(request: PredictionRequest, actual: Iterable<string>): void;
  /** The patterns expected in a run that starts with this request, most confident first. */
  predict(request: PredictionRequest): Prediction[];
  /** Runs learned from so far. */
  readonly runsLearned: number;
}

/**
 * A learned predictor: one online logistic regression per signature over the request's words, its template
 * and the patterns it names, updated after every finished run. A pattern is predicted when the model gives it
 * at least `threshold` and it has been seen in `minSupport` runs, or when the request names it (the
 * detector's reading of the request), so a new installation predicts from its first run. Only signatures that
 * detection produced (learned from runs' actual patterns) or that the detector reads in the request appear.
 *
 * @example
 * const predictor = createPredictor();
 * predictor.learn({ nl_input: "fix the failing tests" }, ["test:pytest:backend"]);
 * predictor.predict({ nl_input: "the tests fail again" });
 */
export function createPredictor(options: PredictorOptions = {}): Predictor {
  const threshold = options.threshold ?? 0.3;
  const minSupport = options.minSupport ?? 5;
  const mentionConfidence = options.mentionConfidence ?? 50;
  const rate = options.learningRate ?? 0.3;
  const keep = 1 - (options.decay ?? 1e-4);
  const weights = new Map<string, Map<Feature, number>>();
  const seen = new Map<string, number>();
  let runs = 0;

  const probability = (signature: string, features: readonly Feature[]) => {
    const w = weights.get(signature);
    let z = 0;
    if (w !== undefined) for (const feature of features) z += w.get(feature) ?? 0;
    return 1 / (1 + Math.exp(-z));
  };

  return {
    get runsLearned() {
      return runs;
    },
    learn(request, actual) {
      const { features } = requestFeatures(request);
      const positives = new Set(actual);
      for (const signature of positives) if (!weights.has(signature)) weights.set(signature, new Map());
      for (const [signature, w] of weights) {
        const error = (positives.has(signature) ? 1 : 0) - probability(signature, features);
        for (const feature of features) w.set(feature, (w.get(feature) ?? 0) * keep + rate * error);
      }
      for (const signature of positives) seen.set(signature, (seen.get(signature) ?? 0) + 1);
      runs++;
    },
    predict(request) {
      const { features, mentioned } = requestFeatures(request);
      const named = new Set(mentioned);
      const predictions: Prediction[] = [];
      for (const [signature, w] of weights) {
        const p = probability(signature, features);
        const trusted = p >= threshold && (seen.get(signature) ?? 0) >= minSupport;
        if (!trusted && !named.has(signature)) continue;
        const reason = explain(p, features, w, seen.get(signature) ?? 0, runs);
        predictions.push({
          signature,
          confidence: round(Math.max(p * 100, named.has(signature) ? mentionConfidence : 0)),
          reason: named.has(signature) ? `named in the request; ${reason}` : reason,
        });
      }
      for (const signature of named) {
        if (weights.has(signature)) continue;
        predictions.push({
          signature,
          confidence: mentionConfidence,
          reason: "named in the request; not seen in the history yet",
        });
      }
      return predictions.sort((a, b) => b.confidence - a.confidence || (a.signature < b.signature ? -1 : 1));
    },
  };
}

function explain(
  p: number,
  features: readonly Feature[],
  w: Map<Feature, number>,
  seen: number,
  runs: number,
): string {
  const drivers = features
    .filter((feature) => feature !== "bias" && (w.get(feature) ?? 0) > 0)
    .sort((a, b) => (w.get(b) ?? 0) - (w.get(a) ?? 0))
    .slice(0, 3)
    .map(describeFeature);
  const because = drivers.length > 0 ? `; strongest signs: ${drivers.join(", ")}` : "";
  return `${Math.round(p * 100)}% likely from ${runs} past runs (in ${seen})${because}`;
}

function describeFeature(feature: Feature): string {
  if (feature.startsWith("word:")) return `"${feature.slice(5)}"`;
  if (feature.startsWith("template:")) return `template ${feature.slice(9)}`;
  if (feature.startsWith("mention:")) return `the request names ${feature.slice(8)}`;
  return feature;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
