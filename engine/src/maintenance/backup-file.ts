import { once } from "node:events";
import { createReadStream, createWriteStream, renameSync, rmSync } from "node:fs";
import { finished } from "node:stream/promises";
import { createGunzip, createGzip } from "node:zlib";
import { AppError } from "@kehu/core";

/** Writes lines into a gzip file, under a `.partial` name until `commit`, so a failed backup leaves no file behind. */
export class BackupWriter {
  private readonly gzip = createGzip();
  private readonly out: ReturnType<typeof createWriteStream>;
  private readonly partial: string;

  private failure: Error | undefined;

  constructor(private readonly file: string) {
    this.partial = `${file}.partial`;
    this.out = createWriteStream(this.partial);
    // A file that cannot be written (no such directory, no permission) fails the next write, not the process.
    this.out.on("error", (e) => {
      this.failure = e;
      this.gzip.destroy(e);
    });
    this.gzip.pipe(this.out);
  }

  /** Writes one JSON value as a line, waiting while the file catches up. */
  async write(value: unknown): Promise<void> {
    if (this.failure) throw this.failure;
    if (!this.gzip.write(`${JSON.stringify(value)}\n`)) await once(this.gzip, "drain");
  }

  async commit(): Promise<void> {
    if (this.failure) throw this.failure;
    this.gzip.end();
    await finished(this.out);
    renameSync(this.partial, this.file);
  }

  async abort(): Promise<void> {
    this.gzip.on("error", () => {});
    this.gzip.destroy();
    this.out.destroy();
    rmSync(this.partial, { force: true });
  }
}

/** The lines of a gzip file, one at a time; a damaged file fails the iteration. */
export async function* readBackupLines(file: string): AsyncGenerator<string> {
  const gunzip = createGunzip();
  const input = createReadStream(file);
  input.on("error", (e) => gunzip.destroy(e));
  input.pipe(gunzip).setEncoding("utf8");
  let rest = "";
  try {
    for await (const chunk of gunzip as AsyncIterable<string>) {
      const parts = (rest + chunk).split("\n");
      rest = parts.pop() ?? "";
      yield* parts;
    }
    if (rest) yield rest;
  } catch (e) {
    const code = (e as { code?: string }).code ?? "";
    if (code.startsWith("Z_"))
      throw new AppError(
        "bad_request",
        `${file} is damaged or no gzip file (${(e as Error).message}); nothing was restored`,
      );
    throw e;
  } finally {
    // A reader that stops early (a refused header) lets go of the file.
    input.destroy();
    gunzip.destroy();
  }
}
