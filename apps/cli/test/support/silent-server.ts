import { type AddressInfo, createServer, type Socket } from "node:net";

/** A TCP server that accepts every connection and never sends a byte: a database server that hangs. */
export interface SilentServer {
  readonly port: number;
  /** How many connections it has accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

/** Starts a {@link SilentServer} on 127.0.0.1, on a free port. */
export async function startSilentServer(): Promise<SilentServer> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on("error", () => {});
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => accepted,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
