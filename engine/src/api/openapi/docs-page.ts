import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/** Where swagger-ui-dist is installed; its assets are served from there (no CDN is needed). */
const SWAGGER_UI_DIR = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));

/** The only files served from swagger-ui-dist, with their content types. */
const ASSETS: Record<string, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "index.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
  "swagger-ui-standalone-preset.js": "text/javascript; charset=utf-8",
  "favicon-16x16.png": "image/png",
  "favicon-32x32.png": "image/png",
};

const loaded = new Map<string, Uint8Array<ArrayBuffer>>();

/** A docs asset: its bytes (read once) and content type, or undefined for any name not on the list. */
export async function docsAsset(
  name: string,
): Promise<{ body: Uint8Array<ArrayBuffer>; contentType: string } | undefined> {
  if (name === "init.js")
    return { body: new TextEncoder().encode(INIT_SCRIPT), contentType: ASSETS["swagger-ui-bundle.js"] };
  const contentType = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
  if (!contentType) return undefined;
  let body = loaded.get(name);
  if (!body) {
    body = new Uint8Array(await readFile(join(SWAGGER_UI_DIR, name)));
    loaded.set(name, body);
  }
  return { body, contentType };
}

/** Starts Swagger UI on the document named by the page's `data-spec-url` (a file, so a strict CSP can forbid inline scripts). */
const INIT_SCRIPT = `window.addEventListener("load", function () {
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.getAttribute("data-spec-url"),
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    plugins: [SwaggerUIBundle.plugins.DownloadUrl],
    layout: "StandaloneLayout",
  });
});
`;

/** The HTML page of the browsable API docs, loading Swagger UI from `assetsBase` and the document from `specUrl`. */
export function docsPage(specUrl: string, assetsBase: string): string {
  const a = (name: string) => `${assetsBase}/${name}`;
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Kehu API</title>
    <link rel="stylesheet" href="${a("swagger-ui.css")}">
    <link rel="stylesheet" href="${a("index.css")}">
    <link rel="icon" type="image/png" href="${a("favicon-32x32.png")}" sizes="32x32">
    <link rel="icon" type="image/png" href="${a("favicon-16x16.png")}" sizes="16x16">
  </head>
  <body>
    <div id="swagger-ui" data-spec-url="${specUrl}"></div>
    <script src="${a("swagger-ui-bundle.js")}"></script>
    <script src="${a("swagger-ui-standalone-preset.js")}"></script>
    <script src="${a("init.js")}"></script>
  </body>
</html>
`;
}
