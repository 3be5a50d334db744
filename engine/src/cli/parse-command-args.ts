import { parseArgs } from "node:util";
import { UsageError } from "./usage-error";

type OptionSpec = Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }>;

/** What a command accepts: its options, its required positional arguments, then optional ones, by name. */
export interface ArgsSpec<O extends OptionSpec> {
  command: string;
  options: O;
  positionals: readonly string[];
  optionalPositionals?: readonly string[];
}

type Values<O extends OptionSpec> = {
  [K in keyof O]?: O[K]["multiple"] extends true ? string[] : O[K]["type"] extends "boolean" ? boolean : string;
};

/** `node:util` parseArgs, strict, with its errors turned into one-line usage errors naming the command. */
export function parseCommandArgs<O extends OptionSpec>(
  argv: string[],
  spec: ArgsSpec<O>,
): { values: Values<O>; positionals: string[] } {
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, options: spec.options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(usageMessage(e as Error & { code?: string }), spec.command);
  }
  const missing = spec.positionals.slice(parsed.positionals.length);
  if (missing.length) throw new UsageError(`missing argument <${missing[0]}>`, spec.command);
  const extra = parsed.positionals.slice(spec.positionals.length + (spec.optionalPositionals?.length ?? 0));
  if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`, spec.command);
  return { values: parsed.values as Values<O>, positionals: parsed.positionals };
}

function usageMessage(e: Error & { code?: string }): string {
  // Node names an option with a short alias as "-p, --port <value>"; the long name is enough.
  const option = /'([^']+)'/.exec(e.message)?.[1]?.replace(/^-\w, /, "");
  switch (e.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return `unknown option ${option ?? ""}`.trim();
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
      if (option && / argument missing$/.test(e.message))
        return `option ${option.replace(/ <value>$/, "")} needs a value`;
      return option ? `option ${option} takes no value` : e.message.split("\n")[0];
    default:
      return e.message.split("\n")[0];
  }
}
