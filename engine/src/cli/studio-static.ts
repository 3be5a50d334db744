import { existsSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

/** The built studio beside the engine in the workspace (`studio/dist`); `KEHU_STUDIO_DIR` names another. */
export function studioDir(env: Record<string, string | undefined>): string | undefined {
  const dir = env.KEHU_STUDIO_DIR
    ? resolve(env.KEHU_STUDIO_DIR)
    : fileURLToPath(new URL("../../../studio/dist", import.meta.url));
  return existsSync(join(dir, "index.html")) ? dir : undefined;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".map": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".ico": "image/x-icon",
  ".webp": "image/webp",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
};

/**
 * Serves the built studio: its files, and `index.html` for any other path without an extension (the
 * single-page app routes on the client). Vite's hashed `assets/` are cached for good.
 */
export function studioHandler(dir: string): (request: Request) => Promise<Response> {
  const root = resolve(dir);
  const send = async (file: string, immutable: boolean) =>
    new Response(await readFile(file), {
      headers: {
        "content-type": TYPES[extname(file)] ?? "application/octet-stream",
        "cache-control": immutable ? "public, max-age=31536000, immutable" : "no-cache",
      },
    });
  return async (request) => {
    if (request.method !== "GET" && request.method !== "HEAD")
      return new Response("Method not allowed", { status: 405 });
    let path: string;
    try {
      path = decodeURIComponent(new URL(request.url).pathname);
    } catch {
      return new Response("Bad path", { status: 400 });
    }
    const file = resolve(root, `.${path}`);
    if (file !== root && !file.startsWith(root + sep)) return new Response("Not found", { status: 404 });
    if (existsSync(file) && statSync(file).isFile()) return send(file, path.startsWith("/assets/"));
    if (!extname(path)) return send(join(root, "index.html"), false);
    return new Response("Not found", { status: 404 });
  };
}
