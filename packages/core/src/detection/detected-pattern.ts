import type { Category, Signature } from "../signature.js";

/** Where evidence came from, strongest first (§3). */
export const EVIDENCE_SOURCES = ["tool_call", "error_message", "request", "template"] as const;
export type EvidenceSource = (typeof EVIDENCE_SOURCES)[number];

/** Why a pattern was detected: the source, the text that matched, and the rule. */
export interface Evidence {
  source: EvidenceSource;
  /** The command, phrase or template that matched. */
  text: string;
  rule: string;
  /** For `tool_call` evidence: the call's position in the run and its id when known. */
  tool_call_index?: number;
  tool_use_id?: string;
}

/** One operation pattern found in a workflow. */
export interface DetectedPattern {
  signature: Signature;
  category: Category;
  /** Up to {@link MAX_EVIDENCE} pieces of evidence, strongest source first. */
  evidence: Evidence[];
  /** Positions of every tool call that performed this operation (for per-operation cost). */
  tool_call_indices: number[];
}

export const MAX_EVIDENCE = 8;
