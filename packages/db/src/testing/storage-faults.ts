/**
 * Real storage faults for tests: a write lock held by another process, a read-only file, a full disk.
 * A full disk is a small tmpfs, which needs root (as in CI); elsewhere {@link smallDisk} says why it cannot
 * make one and the test skips. Read-only uses a read-only bind mount as root (root ignores file modes)
 * and `chmod` otherwise.
 */
import { execFileSync, spawn } from "node:child_process";
import { chmodSync, closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * The program of the process that holds an SQLite file's write lock: opens argv[1], begins an IMMEDIATE
 * transaction, prints "locked", and holds it until its standard input ends (the test closes it, or dies).
 * Given to `node -e`, so that it runs the same from this package's sources and from its build; better-sqlite3
 * is named by its resolved path because the child resolves modules from the test's directory, not this one.
 */
const HOLDER = `
const BetterSqlite3 = require(${JSON.stringify(createRequire(import.meta.url).resolve("better-sqlite3"))});
const database = new BetterSqlite3(process.argv[1] ?? "", { fileMustExist: true });
database.exec("begin immediate");
process.stdout.write("locked\\n");
process.stdin.resume();
process.stdin.on("end", () => {
  database.exec("rollback");
  database.close();
});
`;

/** A lock another process holds until `release()`. */
export interface HeldLock {
  release(): Promise<void>;
}

/** Starts a process that holds the write lock of the SQLite file at `path`; resolves once it holds it. */
export function holdWriteLock(path: string): Promise<HeldLock> {
  const child = spawn(process.execPath, ["-e", HOLDER, path], { stdio: ["pipe", "pipe", "pipe"] });
  const exited = new Promise<void>((resolve) => child.once("close", () => resolve()));
  let output = "";
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (!output.includes("locked\n")) return;
      child.stdout.off("data", onData);
      resolve({
        release: async () => {
          child.stdin.end();
          await exited;
        },
      });
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once("close", (code) => reject(new Error(`the lock holder exited (${code}): ${output}`)));
  });
}

const isRoot = process.getuid?.() === 0;

/** Makes the file at `path` read-only for this machine's processes; `restore()` undoes it. */
export function makeReadOnly(path: string): { restore(): void } {
  if (!isRoot) {
    const mode = statSync(path).mode;
    chmodSync(path, 0o444);
    return { restore: () => chmodSync(path, mode) };
  }
  execFileSync("mount", ["--bind", path, path]);
  execFileSync("mount", ["-o", "remount,bind,ro", path]);
  return { restore: () => execFileSync("umount", [path]) };
}

/** A small file system of its own, and a way to fill it up. */
export interface SmallDisk {
  readonly directory: string;
  /** Writes a filler file until the disk has no byte left. */
  fill(): void;
  /** Removes the filler: the disk has room again. */
  empty(): void;
  unmount(): void;
}

/**
 * A fresh tmpfs of `kilobytes` mounted on a temporary directory, or the reason there cannot be one here
 * (mounting needs root), for the test to skip with.
 */
export function smallDisk(kilobytes: number): SmallDisk | { unavailable: string } {
  if (!isRoot) return { unavailable: "a full disk is a small tmpfs, and mounting one needs root" };
  const directory = mkdtempSync(join(tmpdir(), "patternloop-small-disk-"));
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${kilobytes}k`, "tmpfs", directory], {
      stdio: "pipe",
    });
  } catch (error) {
    rmSync(directory, { recursive: true, force: true });
    return { unavailable: `cannot mount a tmpfs here: ${(error as Error).message.split("\n")[0]}` };
  }
  const filler = join(directory, "filler");
  return {
    directory,
    fill() {
      const fd = openSync(filler, "a");
      const block = Buffer.alloc(1024);
      try {
        for (;;) writeSync(fd, block);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOSPC") throw error;
      } finally {
        closeSync(fd);
      }
    },
    empty() {
      rmSync(filler, { force: true });
    },
    unmount() {
      execFileSync("umount", [directory]);
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
