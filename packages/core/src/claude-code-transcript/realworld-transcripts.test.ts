import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { costOf } from "../cost.js";
import { addMessageOwners } from "./message-owners.js";
import { parseClaudeCodeTranscript } from "./parse-transcript.js";
import type { MessageOwners } from "./transcript-result.js";

// Opt-in: the real transcripts are read from ../shared/data (or $PATTERNLOOP_SHARED_DATA), not shipped whole.
const root =
  process.env.PATTERNLOOP_SHARED_DATA ??
  fileURLToPath(new URL("../../../../../shared/data", import.meta.url));
const dir = `${root}/transcripts`;
const present = existsSync(dir);
if (!present) console.log(`real transcripts absent (${dir}): the whole-folder count check is skipped`);

interface Usage {
  input_tokens?: number;
  output_tokens?: number;
  cache_read_input_tokens?: number;
  cache_creation_input_tokens?: number;
  cache_creation?: { ephemeral_5m_input_tokens?: number; ephemeral_1h_input_tokens?: number };
}

/** A transcript line as the plain count reads it: trusted, since these are real transcripts. */
interface Line {
  type?: string;
  data?: { type?: string; message?: Line };
  message?: { id?: string; model?: string; usage?: Usage };
}

/** A plain count: each `message.id` once over all files, its last line's usage, subagent messages included. */
function countPlainly(texts: readonly string[]) {
  const messages = new Map<string, { model: string | undefined; usage: Usage }>();
  for (const text of texts)
    for (const line of text.split("\n")) {
      if (line.trim() === "") continue;
      let entry: Line | undefined = JSON.parse(line);
      if (entry?.type === "progress" && entry.data?.type === "agent_progress") entry = entry.data.message;
      const message = entry?.type === "assistant" ? entry.message : undefined;
      if (typeof message?.id !== "string" || message.model === "<synthetic>") continue;
      messages.set(message.id, { model: message.model, usage: message.usage ?? {} });
    }
  const total = { input: 0, output: 0, cacheRead: 0, cacheCreation: 0, cost: 0 };
  for (const { model, usage } of messages.values()) {
    total.input += usage.input_tokens ?? 0;
    total.output += usage.output_tokens ?? 0;
    total.cacheRead += usage.cache_read_input_tokens ?? 0;
    total.cacheCreation += usage.cache_creation_input_tokens ?? 0;
    const cost = costOf(
      {
        input_tokens: usage.input_tokens ?? 0,
        output_tokens: usage.output_tokens ?? 0,
        cache_read_tokens: usage.cache_read_input_tokens ?? 0,
        cache_creation_tokens: usage.cache_creation_input_tokens ?? 0,
        cache_creation_5m_tokens: usage.cache_creation?.ephemeral_5m_input_tokens,
        cache_creation_1h_tokens: usage.cache_creation?.ephemeral_1h_input_tokens,
      },
      model,
    );
    total.cost += cost.ok ? cost.cost_usd : Number.NaN;
  }
  return { messages: messages.size, ...total };
}

describe.runIf(present)("the real transcripts, read whole", () => {
  it("count every message once over all sessions, as a plain per-message count does (within 1 %)", () => {
    const texts = readdirSync(dir)
      .filter((name) => name.endsWith(".jsonl"))
      .sort()
      .map((name) => readFileSync(`${dir}/${name}`, "utf8"));
    const owners: MessageOwners = new Map();
    for (const text of texts) addMessageOwners(owners, parseClaudeCodeTranscript(text).runs);
    const runs = texts.flatMap((text) => parseClaudeCodeTranscript(text, { messageOwners: owners }).runs);
    const sum = (pick: (record: (typeof runs)[number]["record"]) => number | null | undefined) =>
      runs.reduce((total, run) => total + (pick(run.record) ?? 0), 0);
    const parsed = {
      messages: runs.reduce((total, run) => total + run.message_ids.length, 0),
      input: sum((record) => record.input_tokens),
      output: sum((record) => record.output_tokens),
      cacheRead: sum((record) => record.cache_read_tokens),
      cacheCreation: sum((record) => record.cache_creation_tokens),
      cost: sum((record) => record.actual_cost_total),
    };
    const plain = countPlainly(texts);
    console.log(
      `real transcripts: ${texts.length} files; parsed ${JSON.stringify(parsed)}; plain ${JSON.stringify(plain)}`,
    );
    for (const key of Object.keys(plain) as (keyof typeof plain)[]) {
      expect(plain[key]).toBeGreaterThan(0);
      expect(Math.abs(parsed[key] - plain[key]) / plain[key]).toBeLessThanOrEqual(0.01);
    }
  });
});
