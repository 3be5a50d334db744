import type { KehuRecord } from "@kehu/client";
import type { EntityDefinition, FieldDefinition } from "@kehu/schema";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { routeHref } from "../lib/hash-route";
import { kehu } from "../lib/kehu";
import { entityLabel, fieldLabel } from "../lib/labels";
import { useEntities } from "../shell/entities-context";

/** For every reference to this entity, the records that point at this one. */
export function RelatedLists({ entityName, id }: { entityName: string; id: string }) {
  const { entities } = useEntities();
  const links = entities.flatMap((e) =>
    e.fields.filter((f) => f.type === "reference" && f.target === entityName).map((f) => ({ child: e, via: f })),
  );
  return (
    <>
      {links.map((l) => (
        <RelatedList key={`${l.child.name}.${l.via.name}`} child={l.child} via={l.via} id={id} />
      ))}
    </>
  );
}

function RelatedList({ child, via, id }: { child: EntityDefinition; via: FieldDefinition; id: string }) {
  const { t, i18n } = useTranslation();
  const [rows, setRows] = useState<KehuRecord[] | null>(null);
  const [more, setMore] = useState(false);
  useEffect(() => {
    kehu
      .data(child.name)
      .list({ filter: { [via.name]: { eq: id } }, limit: 20 })
      .then(
        (p) => {
          setRows(p.data);
          setMore(!!p.nextCursor);
        },
        () => setRows([]),
      );
  }, [child.name, via.name, id]);
  const title = child.titleField ?? child.fields[0]?.name;
  const heading =
    child.fields.filter((f) => f.type === "reference" && f.target === via.target).length > 1
      ? `${entityLabel(child, i18n.language)} (${fieldLabel(via, i18n.language)})`
      : entityLabel(child, i18n.language);
  return (
    <section className="related">
      <h3>{heading}</h3>
      {rows?.length === 0 && <p className="muted">{t("record.noRelated")}</p>}
      <ul>
        {rows?.map((r) => (
          <li key={r.id}>
            <a href={routeHref("data", child.name, r.id)}>{String((title && r[title]) ?? r.id)}</a>
          </li>
        ))}
      </ul>
      {more && <p className="muted">{t("record.moreRelated")}</p>}
    </section>
  );
}
