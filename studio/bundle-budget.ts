import { gzipSync } from "node:zlib";
import type { Plugin } from "vite";

/** The gzip budget of the JavaScript a browser loads before the data pages show. */
export const INITIAL_JS_BUDGET_BYTES = 400 * 1024;

interface ChunkLike {
  type: "chunk" | "asset";
  fileName: string;
  isEntry?: boolean;
  imports?: string[];
  code?: string;
}

/** The entry chunks and everything they import statically: what loads before the first page renders. */
export function initialChunks(bundle: Record<string, ChunkLike>): ChunkLike[] {
  const seen = new Set<string>();
  const visit = (name: string) => {
    const chunk = bundle[name];
    if (chunk?.type !== "chunk" || seen.has(name)) return;
    seen.add(name);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  for (const chunk of Object.values(bundle)) if (chunk.type === "chunk" && chunk.isEntry) visit(chunk.fileName);
  return [...seen].map((name) => bundle[name]);
}

/** Prints the initial JS size (gzip) and fails the build at or above the budget. */
export function bundleBudget(limit = INITIAL_JS_BUDGET_BYTES): Plugin {
  return {
    name: "kehu-bundle-budget",
    apply: "build",
    generateBundle(_options, bundle) {
      const chunks = initialChunks(bundle as unknown as Record<string, ChunkLike>);
      const gzip = chunks.reduce((sum, c) => sum + gzipSync(c.code ?? "").length, 0);
      const kb = (gzip / 1024).toFixed(1);
      const line = `Initial JS of the data pages: ${kb} KB gzip in ${chunks.length} chunk(s) (budget ${limit / 1024} KB)`;
      console.log(line);
      if (gzip >= limit) this.error(`${line}: over budget; load more code lazily`);
    },
  };
}
