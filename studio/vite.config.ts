import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
import { bundleBudget } from "./bundle-budget";

// The engine serves the built app at `/` and the API at `/api` on the same origin; `pnpm dev` proxies to it.
export default defineConfig({
  plugins: [react(), bundleBudget()],
  build: { outDir: "dist", emptyOutDir: true, chunkSizeWarningLimit: 2000 },
  server: { proxy: { "/api": process.env.KEHU_API ?? "http://127.0.0.1:3000" } },
});
