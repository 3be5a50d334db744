import { createRequire } from "node:module";

// camunda-bpmn-moddle has no main export; its descriptor is a JSON resource.
const load = createRequire(import.meta.url);

/** The Camunda moddle extension: without it every `camunda:*` attribute is silently dropped. */
export const camundaModdle: object = load("camunda-bpmn-moddle/resources/camunda.json");
