import type { Issue } from "@kehu/core";
import type { EntityDefinition } from "@kehu/schema";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { entityLabel, fieldLabel } from "../lib/labels";
import { ACTIONS, issuesAt, type MatrixState, SCOPE_CHOICES, type ScopeChoice } from "./permission-matrix-state";

/** Rows = entities, columns = create/read/update/delete, each cell a scope; field rights per entity below a row. */
export function PermissionMatrix(props: {
  entities: EntityDefinition[];
  state: MatrixState;
  issues: Issue[];
  onChange: (next: MatrixState) => void;
}) {
  const { t, i18n } = useTranslation();
  const [open, setOpen] = useState<string | null>(null);
  const { state } = props;
  const setScope = (entity: string, action: (typeof ACTIONS)[number], scope: ScopeChoice) =>
    props.onChange({ ...state, scopes: { ...state.scopes, [entity]: { ...state.scopes[entity], [action]: scope } } });
  const setField = (entity: string, field: string, right: "read" | "write", value: boolean) => {
    const current = state.fields[entity]?.[field] ?? { read: true, write: true };
    const next = { ...current, [right]: value };
    props.onChange({ ...state, fields: { ...state.fields, [entity]: { ...state.fields[entity], [field]: next } } });
  };
  return (
    <table className="grid permission-matrix" data-testid="permission-matrix">
      <thead>
        <tr>
          <th>{t("admin.roles.entity")}</th>
          {ACTIONS.map((a) => (
            <th key={a}>{t(`admin.actions.${a}`)}</th>
          ))}
          <th>{t("admin.roles.fields")}</th>
        </tr>
      </thead>
      <tbody>
        {props.entities.flatMap((e) => {
          const rows = [
            <tr key={e.name} data-entity={e.name}>
              <td>{entityLabel(e, i18n.language)}</td>
              {ACTIONS.map((a) => {
                const errors = issuesAt(props.issues, `/entities/${e.name}/${a}`);
                return (
                  <td key={a} className={errors.length ? "cell-error" : ""}>
                    <select
                      name={`${e.name}.${a}`}
                      aria-label={`${entityLabel(e, i18n.language)} ${t(`admin.actions.${a}`)}`}
                      value={state.scopes[e.name]?.[a] ?? "none"}
                      onChange={(ev) => setScope(e.name, a, ev.target.value as ScopeChoice)}
                    >
                      {SCOPE_CHOICES.map((s) => (
                        <option key={s} value={s}>
                          {t(`admin.scopes.${s}`)}
                        </option>
                      ))}
                    </select>
                    {errors.map((m) => (
                      <div key={m} className="field-issue">
                        {m}
                      </div>
                    ))}
                  </td>
                );
              })}
              <td>
                <button type="button" onClick={() => setOpen(open === e.name ? null : e.name)}>
                  {t("admin.roles.fieldRights")}
                </button>
              </td>
            </tr>,
          ];
          if (open === e.name)
            rows.push(
              <tr key={`${e.name}-fields`}>
                <td colSpan={6}>
                  <table className="changes">
                    <tbody>
                      {e.fields.map((f) => {
                        const rights = state.fields[e.name]?.[f.name] ?? { read: true, write: true };
                        const errors = issuesAt(props.issues, `/fields/${e.name}/${f.name}`);
                        return (
                          <tr key={f.name}>
                            <th>{fieldLabel(f, i18n.language)}</th>
                            {(["read", "write"] as const).map((r) => (
                              <td key={r}>
                                <label>
                                  <input
                                    type="checkbox"
                                    name={`${e.name}.${f.name}.${r}`}
                                    checked={rights[r]}
                                    onChange={(ev) => setField(e.name, f.name, r, ev.target.checked)}
                                  />{" "}
                                  {t(`admin.roles.${r}`)}
                                </label>
                              </td>
                            ))}
                            <td className="field-issue">{errors.join("; ")}</td>
                          </tr>
                        );
                      })}
                    </tbody>
                  </table>
                </td>
              </tr>,
            );
          return rows;
        })}
      </tbody>
    </table>
  );
}
