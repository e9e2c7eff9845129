import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { z } from "zod";
import type { Ack } from "./protocol";

/**
 * Instance-to-instance requests over Redis pub/sub, for several app instances: a judge's intent that reaches an
 * instance which does not drive the match is sent to the instance that does (the lease holder), which acts on it
 * exactly as if the judge were connected there and answers with the ack. Each instance listens on its own channel;
 * a request to an instance that is gone fails at once (nobody receives it), one that does not answer fails after
 * `timeoutMs`, and the caller then waits for the lease to lapse and takes the match over itself.
 */

export const relayRequestSchema = z.object({
  /** The client event being relayed (match:join, judge:step, …); its payload is parsed again by the holder. */
  event: z.string().min(1).max(64),
  payload: z.unknown(),
  /** Who sent it (authenticated and authorized by the relaying instance; the holder re-checks the judge). */
  userId: z.string().min(1).max(64),
});
export type RelayRequest = z.infer<typeof relayRequestSchema>;

const relayMessageSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("request"), id: z.string(), from: z.string(), request: relayRequestSchema }),
  z.object({
    kind: z.literal("reply"),
    id: z.string(),
    ack: z.union([
      z.object({ ok: z.literal(true), data: z.unknown() }),
      z.object({ ok: z.literal(false), error: z.object({ code: z.string(), message: z.string() }) }),
    ]),
  }),
]);

const channelOf = (instanceId: string) => `crux:relay:${instanceId}`;

export class MatchRelay {
  private readonly pending = new Map<string, { resolve: (ack: Ack<unknown>) => void; timer: NodeJS.Timeout }>();

  /**
   * `publisher` sends (any connection); `subscriber` is a connection of its own (a subscribed connection runs no
   * other command). `handle` answers the requests sent to this instance.
   */
  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    readonly instanceId: string,
    private readonly handle: (request: RelayRequest) => Promise<Ack<unknown>>,
    private readonly options: { timeoutMs: number; log?: (line: string) => void },
  ) {}

  /** Starts listening on this instance's channel. */
  async start(): Promise<void> {
    this.subscriber.on("message", (_channel: string, raw: string) => this.receive(raw));
    await this.subscriber.subscribe(channelOf(this.instanceId));
  }

  /**
   * Sends `request` to instance `holder` and resolves with its ack; rejects when no instance by that id listens
   * (it is gone) or it does not answer in time.
   */
  async call(holder: string, request: RelayRequest): Promise<Ack<unknown>> {
    const id = randomUUID();
    // Registered before publishing: the answer may come back before PUBLISH's own reply does.
    const answered = new Promise<Ack<unknown>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`instance ${holder} did not answer within ${this.options.timeoutMs} ms`));
      }, this.options.timeoutMs);
      this.pending.set(id, { resolve, timer });
    });
    const message = JSON.stringify({ kind: "request", id, from: this.instanceId, request });
    const receivers = await this.publisher.publish(channelOf(holder), message).catch(() => 0);
    if (receivers === 0) {
      this.settle(id);
      throw new Error(`instance ${holder} is not listening`);
    }
    return answered;
  }

  /** Stops listening; requests still waiting for an answer fail. */
  async stop(): Promise<void> {
    for (const id of [...this.pending.keys()]) this.settle(id);
    await this.subscriber.unsubscribe().catch(() => undefined);
    this.subscriber.disconnect();
  }

  private settle(id: string): void {
    const entry = this.pending.get(id);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.pending.delete(id);
  }

  private receive(raw: string): void {
    let message: z.infer<typeof relayMessageSchema>;
    try {
      message = relayMessageSchema.parse(JSON.parse(raw));
    } catch {
      this.options.log?.("relay: ignored a malformed message");
      return;
    }
    if (message.kind === "reply") {
      const entry = this.pending.get(message.id);
      this.settle(message.id);
      entry?.resolve(message.ack as Ack<unknown>);
      return;
    }
    void this.handle(message.request)
      .then((ack) =>
        this.publisher.publish(channelOf(message.from), JSON.stringify({ kind: "reply", id: message.id, ack })),
      )
      .catch((error: unknown) => this.options.log?.(`relay: could not answer ${message.from}: ${String(error)}`));
  }
}
