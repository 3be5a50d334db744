import type { FormDefinition } from "@kehu/schema";
import { useEffect, useState } from "react";
import { kehu } from "../lib/kehu";

/** The caller's form of an entity (`GET /api/meta/entities/:name/form`); null when it has none or it failed. */
export function useResolvedForm(entityName: string): FormDefinition | null {
  const [form, setForm] = useState<FormDefinition | null>(null);
  useEffect(() => {
    let live = true;
    setForm(null);
    kehu
      .request<{ form: FormDefinition | null }>("GET", `/api/meta/entities/${encodeURIComponent(entityName)}/form`)
      .then(
        (r) => live && setForm(r.form),
        () => live && setForm(null),
      );
    return () => {
      live = false;
    };
  }, [entityName]);
  return form;
}
