/** One simple command of a shell line: its words, and the operator that joined it to the previous one. */
export interface ShellSegment {
  words: string[];
  /** `""` for the first segment, else `&&`, `||`, `;`, `|`, `&` or a newline. */
  joinedBy: string;
}

const REDIRECT_OPERATORS = [">>", "<<<", "<<-", "<<", ">&", "<&", ">|", ">", "<"];
const CONTROL_OPERATORS = ["&&", "||", ";;", "|&", ";", "|", "&", "\n", "(", ")"];

/**
 * Splits a shell command line into simple commands, the way a POSIX shell reads it, closely enough to tell
 * what ran: quotes and escapes, `&&` `||` `;` `|` `&` and newlines, subshell parentheses, redirections
 * (dropped with their targets) and here-documents (their bodies are data, not commands).
 * An unquoted backslash before a letter or digit is kept, so Windows paths survive.
 * Never throws; an unbalanced quote runs to the end of the input.
 */
export function tokenizeShell(command: string): ShellSegment[] {
  const lexer = new ShellLexer(command);
  const segments: ShellSegment[] = [];
  let words: string[] = [];
  let joinedBy = "";
  let dropNextWord = false;
  const heredocs: string[] = [];

  for (let token = lexer.next(); token !== undefined; token = lexer.next()) {
    if (token.kind === "word") {
      if (dropNextWord) {
        dropNextWord = false;
        if (heredocs.length > 0 && heredocs[heredocs.length - 1] === "")
          heredocs[heredocs.length - 1] = token.text;
      } else {
        words.push(token.text);
      }
      continue;
    }
    if (token.kind === "redirect") {
      // `2>&1`, `>&2` carry their target; every other redirection takes the next word.
      dropNextWord = !/&(?:\d+|-)$/.test(token.text);
      if (token.text === "<<" || token.text === "<<-") heredocs.push("");
      continue;
    }
    dropNextWord = false;
    if (words.length > 0) segments.push({ words, joinedBy });
    words = [];
    joinedBy = token.text === "(" || token.text === ")" ? ";" : token.text;
    if (token.text === "\n" && heredocs.length > 0) {
      lexer.skipHeredocBodies(heredocs.filter((end) => end !== ""));
      heredocs.length = 0;
    }
  }
  if (words.length > 0) segments.push({ words, joinedBy });
  return segments;
}

type Token = { kind: "word" | "redirect" | "control"; text: string };

class ShellLexer {
  private i = 0;
  constructor(private readonly source: string) {}

  next(): Token | undefined {
    const s = this.source;
    while (this.i < s.length) {
      const c = s[this.i] as string;
      if (c === " " || c === "\t" || c === "\r") {
        this.i++;
      } else if (c === "\\" && s[this.i + 1] === "\n") {
        this.i += 2;
      } else if (c === "#") {
        while (this.i < s.length && s[this.i] !== "\n") this.i++;
      } else {
        break;
      }
    }
    if (this.i >= s.length) return undefined;
    const redirect = this.readRedirect();
    if (redirect !== undefined) return { kind: "redirect", text: redirect };
    const control = CONTROL_OPERATORS.find((op) => s.startsWith(op, this.i));
    if (control !== undefined) {
      this.i += control.length;
      return { kind: "control", text: control };
    }
    return { kind: "word", text: this.readWord() };
  }

  /** A redirection operator with an optional file-descriptor prefix (`2>`, `&>`, `2>&1`), if one starts here. */
  private readRedirect(): string | undefined {
    const s = this.source;
    let j = this.i;
    if (s[j] === "&" && s[j + 1] === ">") j++;
    else while (/[0-9]/.test(s[j] ?? "")) j++;
    const operator = REDIRECT_OPERATORS.find((op) => s.startsWith(op, j));
    if (operator === undefined) return undefined;
    j += operator.length;
    if (operator.endsWith("&")) {
      const target = /^(?:\d+|-)/.exec(s.slice(j, j + 4));
      if (target !== null) j += target[0].length;
    }
    const text = s.slice(this.i, j);
    this.i = j;
    return text;
  }

  private readWord(): string {
    const s = this.source;
    let word = "";
    while (this.i < s.length) {
      const c = s[this.i] as string;
      if (
        c === " " ||
        c === "\t" ||
        c === "\r" ||
        c === "\n" ||
        c === ";" ||
        c === "|" ||
        c === "(" ||
        c === ")"
      ) {
        break;
      }
      if (c === "&" || c === ">" || c === "<") break;
      if (c === "'") {
        const close = s.indexOf("'", this.i + 1);
        const stop = close === -1 ? s.length : close;
        word += s.slice(this.i + 1, stop);
        this.i = stop + 1;
      } else if (c === '"') {
        word += this.readDoubleQuoted();
      } else if (c === "\\") {
        const next = s[this.i + 1];
        // Keep the backslash of `C:\Users\app`; POSIX would drop it, but a Windows path is the likelier reading.
        if (next !== undefined && /[A-Za-z0-9]/.test(next)) word += "\\";
        else word += next ?? "";
        this.i += next !== undefined && /[A-Za-z0-9]/.test(next) ? 1 : 2;
      } else if (c === "$" && s[this.i + 1] === "(") {
        const close = this.findClosingParen(this.i + 2);
        word += s.slice(this.i, close + 1);
        this.i = close + 1;
      } else {
        word += c;
        this.i++;
      }
    }
    return word;
  }

  private readDoubleQuoted(): string {
    const s = this.source;
    let text = "";
    this.i++;
    while (this.i < s.length) {
      const c = s[this.i] as string;
      if (c === '"') {
        this.i++;
        return text;
      }
      if (c === "\\" && /["\\$`]/.test(s[this.i + 1] ?? "")) {
        text += s[this.i + 1];
        this.i += 2;
      } else {
        text += c;
        this.i++;
      }
    }
    return text;
  }

  private findClosingParen(start: number): number {
    let depth = 1;
    for (let j = start; j < this.source.length; j++) {
      if (this.source[j] === "(") depth++;
      else if (this.source[j] === ")" && --depth === 0) return j;
    }
    return this.source.length - 1;
  }

  /** Skips here-document bodies, one per delimiter in order, starting at the current line. */
  skipHeredocBodies(delimiters: string[]): void {
    const s = this.source;
    for (const raw of delimiters) {
      const end = raw.trim();
      while (this.i < s.length) {
        const lineEnd = s.indexOf("\n", this.i);
        const stop = lineEnd === -1 ? s.length : lineEnd;
        const line = s.slice(this.i, stop).trim();
        this.i = stop + 1;
        if (line === end) break;
      }
    }
  }
}
