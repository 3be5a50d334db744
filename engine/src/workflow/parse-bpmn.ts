import type { Issue } from "@kehu/core";
import { BpmnModdle } from "bpmn-moddle";
import { camundaModdle } from "./camunda-moddle";

/** A parsed BPMN element as moddle gives it: `$type`, `id` and its attributes (camunda ones flat). */
export interface BpmnNode {
  $type: string;
  id?: string;
  name?: string;
  [key: string]: unknown;
}

export interface ParsedBpmn {
  definitions: BpmnNode | undefined;
  issues: Issue[];
}

const moddle = new BpmnModdle({ camunda: camundaModdle });

/** Parses BPMN 2.0 XML; every parse problem and moddle warning becomes an issue (the XML is not trusted). */
export async function parseBpmn(xml: string): Promise<ParsedBpmn> {
  try {
    const result = (await moddle.fromXML(xml)) as unknown as {
      rootElement: BpmnNode;
      warnings: Array<{ message: string; element?: { id?: string } }>;
    };
    const issues = result.warnings.map((w) => ({
      path: `/xml${w.element?.id ? `/${w.element.id}` : ""}`,
      message: w.message.split("\n")[0],
    }));
    return { definitions: result.rootElement, issues };
  } catch (e) {
    return { definitions: undefined, issues: [{ path: "/xml", message: (e as Error).message.split("\n")[0] }] };
  }
}
