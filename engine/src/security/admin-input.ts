import { AppError, type Issue, isUuid } from "@kehu/core";

/**
 * Reads an admin request body field by field, collecting one issue per bad field; `done()` throws them
 * all as one 400.
 */
export class InputReader {
  readonly issues: Issue[] = [];
  private readonly body: Record<string, unknown>;

  constructor(body: unknown, allowed: readonly string[], what: string) {
    if (typeof body !== "object" || body === null || Array.isArray(body))
      throw new AppError("validation_failed", `Send ${what} as a JSON object`);
    this.body = body as Record<string, unknown>;
    for (const key of Object.keys(this.body))
      if (!allowed.includes(key))
        this.issues.push({ path: `/${key}`, message: `unknown property; use ${allowed.join(", ")}` });
  }

  has(key: string): boolean {
    return this.body[key] !== undefined;
  }

  private bad(key: string, message: string): undefined {
    this.issues.push({ path: `/${key}`, message });
    return undefined;
  }

  text(key: string, opts: { required?: boolean; max?: number; pattern?: RegExp; hint?: string } = {}) {
    const v = this.body[key];
    if (v === undefined) return opts.required ? this.bad(key, "is required") : undefined;
    const max = opts.max ?? 200;
    if (typeof v !== "string" || !v.trim() || [...v].length > max)
      return this.bad(key, `must be a non-empty string of at most ${max} characters`);
    if (opts.pattern && !opts.pattern.test(v)) return this.bad(key, opts.hint ?? `must match ${opts.pattern}`);
    return v.trim();
  }

  nullableText(key: string, opts: { max?: number; pattern?: RegExp; hint?: string } = {}) {
    if (this.body[key] === null) return null;
    return this.text(key, opts);
  }

  bool(key: string): boolean | undefined {
    const v = this.body[key];
    if (v === undefined) return undefined;
    return typeof v === "boolean" ? v : this.bad(key, "must be true or false");
  }

  nullableId(key: string): string | null | undefined {
    const v = this.body[key];
    if (v === undefined || v === null) return v;
    return isUuid(v) ? v : this.bad(key, "must be an id (uuid) or null");
  }

  ids(key: string): string[] | undefined {
    const v = this.body[key];
    if (v === undefined) return undefined;
    if (!Array.isArray(v)) return this.bad(key, "must be a list of ids");
    v.forEach((item, i) => {
      if (!isUuid(item)) this.issues.push({ path: `/${key}/${i}`, message: "must be an id (uuid)" });
    });
    return [...new Set(v as string[])];
  }

  raw(key: string): unknown {
    return this.body[key];
  }

  done(message: string): void {
    if (this.issues.length) throw new AppError("validation_failed", message, this.issues);
  }
}
