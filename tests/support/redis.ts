import { spawn } from "node:child_process";
import net from "node:net";
import { markTestProcess, onLeftover } from "./processes";

export interface RunningRedis {
  url: string;
  port: number;
  /** The redis-server process (the live-load benchmark reads its CPU time). */
  pid: number;
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (the OS picks one; closed again before it is used). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * A throw-away Redis (`redis-server` from Debian's package) on a free port, in memory only (no snapshots, no
 * append-only file), for one test file; stopped when the test stops it or, failing that, after the file
 * (tests/support/processes.ts). Resolves once it accepts connections.
 */
export async function startRedis(): Promise<RunningRedis> {
  const port = await freePort();
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    {
      env: { ...process.env, ...markTestProcess(`redis on ${port}`) },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += String(chunk);
  });
  child.stderr?.on("data", (chunk) => {
    output += String(chunk);
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGKILL");
    await exited;
  };
  const forget = onLeftover(stop);
  void exited.then(forget);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`redis-server did not start in time:\n${output}`));
    }, 10_000);
    const onData = () => {
      if (!/Ready to accept connections/.test(output)) return;
      clearTimeout(timer);
      resolve();
    };
    child.stdout?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with code ${code}:\n${output}`));
    });
  });
  return { url: `redis://127.0.0.1:${port}`, port, pid: child.pid ?? 0, stop };
}
