import type { EntityDefinition } from "@kehu/schema";
import { Document, isMap, isPair, isScalar, isSeq, type Node, stringify, visit } from "yaml";
import { canonicalEntity } from "./canonical-entity";

/** Lines are kept within this width where a collection is written on one line. */
const LINE_WIDTH = 120;
const STYLE = { lineWidth: 0, flowCollectionPadding: true } as const;

/** Whether a collection holds only scalars and collections of scalars (so it reads well on one line). */
function shallow(node: unknown): boolean {
  const items = isMap(node) ? node.items.map((p) => p.value) : isSeq(node) ? node.items : undefined;
  return !!items?.every(
    (v) => isScalar(v) || ((isMap(v) || isSeq(v)) && v.items.every((x) => isScalar(isPair(x) ? x.value : x))),
  );
}

/** The width of a collection written on one line. */
function oneLineWidth(node: Node): number {
  return stringify(node.toJSON(), { ...STYLE, collectionStyle: "flow" }).trimEnd().length;
}

/** The key of the pair a collection is the value of, or of the sequence it is an item of. */
function keyAbove(path: readonly unknown[]): { key?: unknown; inSeq: boolean } {
  const parent = path[path.length - 1];
  if (isPair(parent)) return { key: isScalar(parent.key) ? parent.key.value : undefined, inSeq: false };
  const pair = path[path.length - 2];
  if (isSeq(parent) && isPair(pair)) return { key: isScalar(pair.key) ? pair.key.value : undefined, inSeq: true };
  return { inSeq: false };
}

/**
 * The YAML text of an entity file: canonical key order, lean, and compact the way entity files are written
 * by hand: labels, enum values, short lists and simple fields on one line each.
 *
 * @example
 * entityToYaml({name: "region", label: {en: "Region", zh: "区域"}, fields: [{name: "name", type: "text"}]})
 * // "name: region\nlabel: { en: Region, zh: 区域 }\nfields:\n  - { name: name, type: text }\n"
 */
export function entityToYaml(definition: EntityDefinition): string {
  const doc = new Document(canonicalEntity(definition));
  visit(doc, {
    Map(_, map, path) {
      const { key, inSeq } = keyAbove(path);
      const indent = inSeq ? 4 : 2 + String(key).length + 2;
      if (!shallow(map) || indent + oneLineWidth(map) > LINE_WIDTH) return;
      if (
        (!inSeq && (key === "label" || key === "help" || key === "description")) ||
        (inSeq && (key === "fields" || key === "values" || key === "indexes"))
      )
        map.flow = true;
    },
    Seq(_, seq, path) {
      const { key } = keyAbove(path);
      if (seq.items.every(isScalar) && 6 + String(key).length + oneLineWidth(seq) <= LINE_WIDTH) seq.flow = true;
    },
  });
  return doc.toString(STYLE);
}
