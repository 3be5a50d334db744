import type { EntityDefinition } from "@kehu/schema";
import type { ConflictField } from "./conflict-store";
import type { Link } from "./link-store";
import { sameValue } from "./same-value";

export type ConflictPolicy = "erp_wins" | "crm_wins" | "newest_wins" | "manual";

/** What to do with one mapped ERP record. */
export type PullDecision =
  | { kind: "create" }
  | { kind: "skip"; message: string }
  /** `patch` may be empty (nothing to write); `crmAgrees`: after it the CRM holds exactly the ERP's values. */
  | { kind: "apply"; patch: Record<string, unknown>; erpMoved: boolean; crmAgrees: boolean }
  | {
      kind: "conflict";
      fields: Record<string, ConflictField>;
      chose: "erp" | "crm" | null;
      patch: Record<string, unknown>;
      crmAgrees: boolean;
    };

export interface PullFacts {
  entity: EntityDefinition;
  /** The ERP record mapped to entity fields. */
  body: Record<string, unknown>;
  link: Link | undefined;
  /** The CRM record linked (or matched by key), undefined when none. */
  crm: Record<string, unknown> | undefined;
  policy: ConflictPolicy;
  /** When the ERP last changed the record (ms), for newest_wins. */
  erpTime: number | undefined;
}

const pick = (body: Record<string, unknown>, names: string[]) => Object.fromEntries(names.map((n) => [n, body[n]]));

/**
 * Three-way: the ERP values against the base (what both agreed on at the last sync) and the CRM record. Fields
 * only the ERP changed are applied; fields only the CRM changed are kept (push sends them); a field both changed
 * to different values is a conflict, settled by the policy or left for a person (`manual`: nothing is written).
 */
export function decidePull(f: PullFacts): PullDecision {
  const { entity, body, crm, link } = f;
  if (!crm) return { kind: "create" };
  if (crm.deleted_at) return { kind: "skip", message: "the linked record is deleted in Kehu" };
  const def = (n: string) => entity.fields.find((x) => x.name === n);
  const names = Object.keys(body);
  const same = (n: string, a: unknown, b: unknown) => sameValue(def(n), a, b);
  const differs = (n: string) => !same(n, body[n], crm[n]);
  const agreesAfter = (patch: Record<string, unknown>) =>
    names.every((n) => same(n, n in patch ? patch[n] : crm[n], body[n]));
  const base = link?.last_payload;
  if (!base) {
    const patch = pick(body, names.filter(differs));
    return { kind: "apply", patch, erpMoved: true, crmAgrees: agreesAfter(patch) };
  }
  const erpChanged = names.filter((n) => !same(n, body[n], base[n]));
  const crmMoved = Number(crm.version) > link.crm_version;
  const crmChanged = new Set(crmMoved ? names.filter((n) => !same(n, crm[n], base[n])) : []);
  const conflicting = erpChanged.filter((n) => crmChanged.has(n) && differs(n));
  const apply = erpChanged.filter((n) => !conflicting.includes(n) && differs(n));
  if (!conflicting.length) {
    const patch = pick(body, apply);
    return { kind: "apply", patch, erpMoved: erpChanged.length > 0, crmAgrees: agreesAfter(patch) };
  }
  const fields = Object.fromEntries(conflicting.map((n) => [n, { crm: crm[n], erp: body[n], base: base[n] ?? null }]));
  const chose = choose(f.policy, f.erpTime, crm.updated_at);
  const patch = pick(body, chose === "erp" ? [...apply, ...conflicting] : apply);
  return { kind: "conflict", fields, chose, patch: chose === null ? {} : patch, crmAgrees: agreesAfter(patch) };
}

function choose(policy: ConflictPolicy, erpTime: number | undefined, crmUpdated: unknown): "erp" | "crm" | null {
  switch (policy) {
    case "erp_wins":
      return "erp";
    case "crm_wins":
      return "crm";
    case "manual":
      return null;
    case "newest_wins": {
      // Without an ERP time the CRM value stays: an unknown age never overwrites a known change.
      const crmTime = Date.parse(String(crmUpdated));
      return erpTime !== undefined && erpTime > crmTime ? "erp" : "crm";
    }
  }
}
