import { PatternloopDbError } from "../patternloop-db-error.js";

interface ParameterRule {
  readonly accepts: (value: string) => boolean;
  /** What to write instead, for the message. */
  readonly expected: string;
}

const SSL_MODES = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full", "no-verify"];
const SSL_VALUES = ["true", "1", "0", "no-verify"];

/**
 * The connection parameters whose value `pg` would misread. A port `net.connect` refuses is thrown past
 * pg-pool, which then never lets the pool end: the command hung. `pg` reads any unknown `sslmode`, and any
 * `ssl` but these (`ssl=false` too), as "use SSL". `pg` ignores `connect_timeout` (opening waits
 * `POSTGRES_CONNECT_TIMEOUT_MS`), but libpq refuses one that is not a whole number, so a typo is named here too.
 */
const RULES: ReadonlyMap<string, ParameterRule> = new Map<string, ParameterRule>([
  ["port", { accepts: isPortNumber, expected: "a whole number from 1 to 65535" }],
  ["sslmode", { accepts: (value) => SSL_MODES.includes(value), expected: SSL_MODES.join(", ") }],
  [
    "ssl",
    {
      accepts: (value) => SSL_VALUES.includes(value),
      expected: "true, 1, 0 or no-verify; ssl=0 or sslmode=disable for no SSL",
    },
  ],
  ["connect_timeout", { accepts: (value) => /^-?\d+$/.test(value), expected: "a whole number of seconds" }],
]);

/**
 * Throws `invalid_url` when `key` is a connection parameter `pg` would misread and `value` is not one it reads
 * right. An empty value counts as absent, as it does for `pg`.
 */
export function assertPostgresParameter(key: string, value: string, url: string): void {
  const rule = RULES.get(key);
  if (rule === undefined || value === "" || rule.accepts(value)) return;
  throw new PatternloopDbError(
    "invalid_url",
    `invalid ${key} ${JSON.stringify(value)} for ${url} (use ${rule.expected})`,
  );
}

/** Whether `port` (a string from a URL, or the number `pg` parsed) is a TCP port one can connect to. */
export function isPortNumber(port: string | number): boolean {
  const number = typeof port === "number" ? port : /^\d+$/.test(port) ? Number(port) : Number.NaN;
  return Number.isInteger(number) && number >= 1 && number <= 65535;
}
