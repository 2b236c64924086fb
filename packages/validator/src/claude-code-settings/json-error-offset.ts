/**
 * Where JSON text stops being valid JSON: the offset of the first character a strict parser cannot accept
 * (the text's length when it ends too early), or `undefined` for valid JSON. `JSON.parse` says this only in
 * words that differ between Node versions, some quoting the text itself.
 */
export function jsonErrorOffset(text: string): number | undefined {
  const reader = new JsonReader(text);
  try {
    reader.value();
    reader.space();
    if (reader.at < text.length) return reader.at;
    return undefined;
  } catch (error) {
    if (error instanceof Stop) return error.offset;
    throw error;
  }
}

class Stop {
  constructor(readonly offset: number) {}
}

/** A strict JSON reader that only moves past what it accepts and stops at the first thing it cannot. */
class JsonReader {
  at = 0;
  constructor(private readonly text: string) {}

  value(): void {
    this.space();
    const char = this.peek();
    if (char === "{") this.list("}", () => this.member());
    else if (char === "[") this.list("]", () => this.value());
    else if (char === '"') this.string();
    else if (char === "t") this.take("true");
    else if (char === "f") this.take("false");
    else if (char === "n") this.take("null");
    else this.number();
  }

  space(): void {
    while (this.at < this.text.length && " \t\n\r".includes(this.peek())) this.at++;
  }

  private member(): void {
    this.string();
    this.space();
    this.take(":");
    this.value();
  }

  private list(close: string, item: () => void): void {
    this.at++;
    this.space();
    if (this.peek() === close) {
      this.at++;
      return;
    }
    for (;;) {
      this.space();
      item();
      this.space();
      if (this.peek() === close) break;
      this.take(",");
    }
    this.at++;
  }

  private string(): void {
    this.take('"');
    for (;;) {
      const char = this.peek();
      if (char === "" || char < " ") this.stop();
      this.at++;
      if (char === '"') return;
      if (char === "\\") this.escape();
    }
  }

  private escape(): void {
    const char = this.peek();
    if (char !== "" && '"\\/bfnrt'.includes(char)) this.at++;
    else if (char === "u" && /^[0-9a-fA-F]{4}$/.test(this.text.slice(this.at + 1, this.at + 5))) this.at += 5;
    else this.stop();
  }

  private number(): void {
    const found = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.text.slice(this.at));
    if (found === null) this.stop();
    else this.at += found[0].length;
  }

  private take(literal: string): void {
    for (const char of literal) {
      if (this.peek() !== char) this.stop();
      this.at++;
    }
  }

  private peek(): string {
    return this.text.charAt(this.at);
  }

  private stop(): never {
    throw new Stop(this.at);
  }
}
