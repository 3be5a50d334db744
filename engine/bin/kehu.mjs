#!/usr/bin/env node
// The `kehu` command: runs the TypeScript CLI entry through tsx (no build step).
import { register } from "tsx/esm/api";

register();
const { runCli } = await import("../src/cli/main.ts");
await runCli(process.argv.slice(2));
