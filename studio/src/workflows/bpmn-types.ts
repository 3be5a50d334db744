/** The parts of bpmn-js's services the studio uses (bpmn-js types them loosely). */
export interface BpmnBusinessObject {
  id: string;
  $type: string;
  name?: string;
  get(name: string): unknown;
  extensionElements?: { values?: Array<{ $type: string; inputParameters?: Array<{ name: string; value?: string }> }> };
  conditionExpression?: { body?: string };
}

export interface BpmnElement {
  id: string;
  type: string;
  businessObject: BpmnBusinessObject;
}

export interface Modeling {
  updateProperties(element: BpmnElement, properties: Record<string, unknown>): void;
}

export interface Moddle {
  create(type: string, attrs?: Record<string, unknown>): unknown;
}

export interface ElementRegistry {
  get(id: string): BpmnElement | undefined;
  getAll(): BpmnElement[];
}

export interface Selection {
  select(element: BpmnElement | BpmnElement[] | null): void;
}

export interface Canvas {
  zoom(level: "fit-viewport" | number, center?: "auto"): void;
  addMarker(id: string, marker: string): void;
  scrollToElement(element: BpmnElement): void;
}
