/** Where progress goes: a terminal gets one bar redrawn in place, anything else a line every few seconds. */
export interface ProgressTarget {
  out: { write(text: string): unknown };
  tty: boolean;
}

/**
 * Progress of a long import: rows done, rows per second and, when the total bytes are known, the percentage.
 * `now` is injectable so tests see deterministic output.
 */
export class ProgressMeter {
  private readonly started: number;
  // The first update always shows (a clock read early in a fresh process may be under `every`).
  private lastLine = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly target: ProgressTarget,
    private readonly totalBytes: number,
    private readonly now: () => number = () => performance.now(),
    private readonly every = 2000,
  ) {
    this.started = now();
  }

  update(rows: number, bytes: number): void {
    const t = this.now();
    if (!this.target.tty && t - this.lastLine < this.every) return;
    this.lastLine = t;
    const line = this.describe(rows, bytes, t);
    this.target.out.write(this.target.tty ? `\r${line}\u001b[K` : `${line}\n`);
  }

  /** Ends the bar line on a terminal. */
  finish(): void {
    if (this.target.tty) this.target.out.write("\n");
  }

  private describe(rows: number, bytes: number, t: number): string {
    const seconds = Math.max((t - this.started) / 1000, 0.001);
    const rate = Math.round(rows / seconds).toLocaleString("en-US");
    const fraction = this.totalBytes > 0 ? Math.min(bytes / this.totalBytes, 1) : 0;
    const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
    const count = `${rows.toLocaleString("en-US")} rows, ${rate} rows/s`;
    if (!this.target.tty) return `${percent} ${count}`;
    const width = 30;
    const filled = Math.round(fraction * width);
    return `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${percent} ${count}`;
  }
}
