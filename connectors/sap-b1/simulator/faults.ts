import type { IncomingMessage, ServerResponse } from "node:http";
import { createPrng } from "./prng";

export type FaultConfig = {
  /** Seed of the fault PRNG: the same seed gives the same failure pattern for the same request sequence. */
  seed?: number;
  /** Delay before each response, fixed or drawn uniformly from [min, max] ms. */
  latencyMs?: number | { min: number; max: number };
  /** Share of requests (0..1) answered with an empty 5xx, like SAP's Apache balancer does. */
  errorRate?: number;
  errorStatus?: 500 | 502 | 503 | 504;
  /** Share of requests (0..1) whose connection is destroyed without any response. */
  dropRate?: number;
  /**
   * Share of requests (0..1) that the Service Layer fully processes but whose response is lost: the connection
   * drops before the reply, like a timeout after a slow document post. Drawn only when set.
   */
  lostResponseRate?: number;
  /**
   * Share of requests (0..1) answered `429 Too Many Requests` with `Retry-After: <retryAfterSeconds>` (default 0).
   * SL documents no rate limit; this stands for a proxy or gateway in front of it. Drawn only when set.
   */
  throttleRate?: number;
  retryAfterSeconds?: number;
  /** A session expires after serving this many requests; the next request gets 401 (code 301). */
  sessionExpiresAfterRequests?: number;
};

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/** Wraps the node request listener so faults act on the transport, before the Service Layer sees the request. */
export function withFaults(listener: Listener, config: FaultConfig | undefined): Listener {
  if (!config) return listener;
  const prng = createPrng(config.seed ?? 1);
  return (req, res) => {
    const dropDraw = prng.next();
    const errorDraw = prng.next();
    const latencyDraw = prng.next();
    const lostDraw = config.lostResponseRate === undefined ? 1 : prng.next();
    const throttleDraw = config.throttleRate === undefined ? 1 : prng.next();
    const act = () => {
      if (dropDraw < (config.dropRate ?? 0)) {
        req.socket.destroy();
        return;
      }
      if (errorDraw < (config.errorRate ?? 0)) {
        res.writeHead(config.errorStatus ?? 500, { Connection: "close", "Content-Length": "0" });
        res.end();
        return;
      }
      if (throttleDraw < (config.throttleRate ?? 0)) {
        res.writeHead(429, { "Retry-After": String(config.retryAfterSeconds ?? 0), "Content-Length": "0" });
        res.end();
        return;
      }
      if (lostDraw < (config.lostResponseRate ?? 0)) loseResponse(req, res);
      listener(req, res);
    };
    const delay = latencyOf(config.latencyMs, latencyDraw);
    if (delay > 0) setTimeout(act, delay);
    else act();
  };
}

function latencyOf(latency: FaultConfig["latencyMs"], draw: number): number {
  if (latency === undefined) return 0;
  if (typeof latency === "number") return latency;
  return latency.min + Math.floor(draw * (latency.max - latency.min + 1));
}

// The request reaches the Service Layer and is processed; the socket dies when the reply is about to be sent.
function loseResponse(req: IncomingMessage, res: ServerResponse): void {
  const drop = () => {
    req.socket.destroy();
    return res;
  };
  res.writeHead = drop as unknown as ServerResponse["writeHead"];
  res.write = (() => true) as unknown as ServerResponse["write"];
  res.end = drop as unknown as ServerResponse["end"];
}
