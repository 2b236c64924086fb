import { Agent, type IncomingHttpHeaders, request } from "node:http";

/** A POST whose body is sent in two parts, so that it is in flight for as long as the test wants. */
export interface SplitRequest {
  /** Sends the rest of the body. */
  finish(): void;
  response: Promise<SplitResponse>;
}

export interface SplitResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * Opens a connection of its own, sends the headers and the first half of `body`, and resolves once those
 * bytes have been handed to the socket; the server now has a request it cannot finish until `finish()`.
 * With `keepAlive`, the connection asks to stay open for further requests, as a browser's or fetch's do.
 */
export function startSplitRequest(
  url: string,
  body: string,
  headers: Record<string, string>,
  { keepAlive = false }: { keepAlive?: boolean } = {},
): Promise<SplitRequest> {
  const bytes = Buffer.from(body);
  const half = Math.floor(bytes.length / 2);
  const { hostname, port, pathname } = new URL(url);
  const outgoing = request({
    host: hostname,
    port,
    path: pathname,
    method: "POST",
    agent: keepAlive ? new Agent({ keepAlive: true }) : false,
    headers: { ...headers, "content-length": String(bytes.length) },
  });
  const response = new Promise<SplitResponse>((resolve, reject) => {
    outgoing.once("error", reject);
    outgoing.once("response", (incoming) => {
      let text = "";
      incoming.setEncoding("utf8");
      incoming.on("data", (chunk: string) => {
        text += chunk;
      });
      incoming.once("end", () =>
        resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body: text }),
      );
      incoming.once("error", reject);
    });
  });
  response.catch(() => {});
  return new Promise((resolve, reject) => {
    outgoing.once("error", reject);
    outgoing.flushHeaders();
    outgoing.write(bytes.subarray(0, half), (error) => {
      if (error) reject(error);
      else resolve({ finish: () => outgoing.end(bytes.subarray(half)), response });
    });
  });
}
