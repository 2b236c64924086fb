import { describe, expect, it } from "vitest";
import { arrivalOrderDigest, deliveryDigests, hookDigest } from "./hook-digest.js";

const payload = { session_id: "s", hook_event_name: "UserPromptSubmit", prompt: "continue" };

describe("deliveryDigests", () => {
  it("without a key, identifies a delivery by its payload, as it was identified before keys", () => {
    expect(deliveryDigests(payload)).toEqual({
      digest: hookDigest(payload),
      known: [hookDigest(payload), arrivalOrderDigest(payload)],
    });
  });

  it("with a key, tells apart deliveries of one payload, and recognises one key twice", () => {
    const third = deliveryDigests(payload, { deliveryKey: "seq:3" });
    const ninth = deliveryDigests(payload, { deliveryKey: "seq:9" });
    expect(third.digest).not.toBe(ninth.digest);
    expect(third.digest).not.toBe(hookDigest(payload));
    expect(
      deliveryDigests(
        { prompt: "continue", hook_event_name: "UserPromptSubmit", session_id: "s" },
        { deliveryKey: "seq:3" },
      ).digest,
    ).toBe(third.digest);
    expect(third.known).toEqual([third.digest]);
  });

  it("also looks for the digests an earlier version gave the former payload", () => {
    const logged = { ...payload, _seq: 3, _repo: "x/y" };
    const { known } = deliveryDigests(payload, { deliveryKey: "seq:3", formerPayload: logged });
    expect(known.slice(1)).toEqual([hookDigest(logged), arrivalOrderDigest(logged)]);
  });
});
