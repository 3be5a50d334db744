import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { ConnectorError } from "@kehu/connector-kit";
import { networkFailure } from "./network-failure";
import { type TlsSettings, tlsAgentOptions } from "./tls-trust";

export interface HttpReply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

export interface HttpCall {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

/**
 * One request over node:http(s) with a keep-alive agent (measured much cheaper than undici fetch here), a hard
 * per-request timeout, and transport failures turned into retryable ConnectorErrors (a refused certificate or a host
 * DNS does not know into permanent ones). The https agent trusts the connection's own CA certificate besides Node's list.
 */
export class HttpTransport {
  private readonly http: HttpAgent;
  private readonly https: HttpsAgent;
  /** A caCertificate that does not read: every request fails with it, so `check` reports it naming the field. */
  private readonly settingsError: Error | undefined;
  /** Connections the server refused since it last answered: the failure message says how often it was tried. */
  private refusedInARow = 0;

  constructor(
    private readonly timeoutMs: number,
    maxSockets: number,
    tls: TlsSettings = {},
  ) {
    this.http = new HttpAgent({ keepAlive: true, maxSockets });
    let trust = {};
    try {
      trust = tlsAgentOptions(tls);
    } catch (error) {
      this.settingsError = error as Error;
    }
    this.https = new HttpsAgent({ keepAlive: true, maxSockets, ...trust });
  }

  send(call: HttpCall): Promise<HttpReply> {
    if (this.settingsError) return Promise.reject(this.settingsError);
    return new Promise((resolve, reject) => {
      const secure = call.url.protocol === "https:";
      const body = call.body === undefined ? undefined : Buffer.from(call.body, "utf8");
      const headers = { ...call.headers, ...(body ? { "Content-Length": String(body.length) } : {}) };
      const req = (secure ? httpsRequest : httpRequest)(call.url, {
        method: call.method,
        headers,
        agent: secure ? this.https : this.http,
      });
      const where = `${call.method} ${call.url.pathname}`;
      const timer = setTimeout(() => {
        req.destroy(new ConnectorError("timeout", `No answer to ${where} within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      const onAbort = () => req.destroy(call.signal?.reason ?? new Error("aborted"));
      call.signal?.addEventListener("abort", onAbort, { once: true });
      const done = () => {
        clearTimeout(timer);
        call.signal?.removeEventListener("abort", onAbort);
      };
      req.on("error", (error) => {
        done();
        if ((error as { code?: string }).code === "ECONNREFUSED") this.refusedInARow++;
        reject(networkFailure(error, call.url, where, this.refusedInARow));
      });
      req.on("response", (res) => {
        this.refusedInARow = 0;
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", (error) => {
          done();
          reject(networkFailure(error, call.url, where, this.refusedInARow));
        });
        res.on("end", () => {
          done();
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") });
        });
      });
      req.end(body);
    });
  }

  close(): void {
    this.http.destroy();
    this.https.destroy();
  }
}
