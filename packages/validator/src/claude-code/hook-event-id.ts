import { arrivalOrderDigest, hookDigest } from "./hook-digest.js";

/**
 * What identifies a Claude Code hook event, whether it comes over HTTP or from a hook log replayed by
 * `ingest hooks`, so that the same log gives the same runs either way:
 * - A payload that carries a `tool_use_id` reports one tool call: the payload itself is the event (the
 *   digest of its canonical JSON), and an identical copy is the same event again.
 * - Any other payload (a prompt, a `Stop`, …) may repeat word for word as a new event: the same prompt
 *   typed twice, the `Stop` of every turn of a version that sends no last message. It is the n-th payload
 *   of its session with that content: its digest and that number. The first keeps the plain digest (what
 *   earlier versions identified every payload by, so what they stored is still recognised).
 * Nothing the sender or a logger adds takes part: no `Patternloop-Delivery-Key`, no `_seq`/`_repo` of a
 * log. The delivery key only tells whether a delivery came before (a sender sending again what it already
 * sent), which the receiver checks first.
 */
export function hookEventId(
  payloadDigest: string,
  payload: Record<string, unknown>,
  occurrence: number,
): string {
  if (hasToolUseId(payload) || occurrence <= 1) return payloadDigest;
  // No hook payload has these two keys alone, so this is never the digest of a payload.
  return hookDigest({ payload_digest: payloadDigest, occurrence });
}

/** Whether the payload names its tool call, which makes an identical copy the same event. */
export function hasToolUseId(payload: Record<string, unknown>): boolean {
  return typeof payload.tool_use_id === "string" && payload.tool_use_id !== "";
}

/**
 * The event ids of a session's payloads in their order, by {@link hookEventId}: what a hook log gives, read
 * in the session's order, and what the receiver gives the same payloads arriving one after the other.
 */
export function hookEventIdsOf(payloads: readonly Record<string, unknown>[]): string[] {
  const seen = new Map<string, number>();
  return payloads.map((payload) => {
    const digest = hookDigest(payload);
    const occurrence = (seen.get(digest) ?? 0) + 1;
    seen.set(digest, occurrence);
    return hookEventId(digest, payload, occurrence);
  });
}

/**
 * The digests earlier versions remembered this event by, looked up besides its id so that what they stored
 * is not applied again: the digest of the payload's JSON in arrival order (for a first occurrence), and
 * that of the payload with its delivery key (a replayed log's place), as `ingest hooks` kept it.
 */
export function formerDigestsOf(
  payload: Record<string, unknown>,
  eventId: string,
  deliveryKey: string | undefined,
): string[] {
  const former = eventId === hookDigest(payload) ? [arrivalOrderDigest(payload)] : [];
  if (deliveryKey !== undefined) former.push(hookDigest({ delivery_key: deliveryKey, payload }));
  return former;
}
