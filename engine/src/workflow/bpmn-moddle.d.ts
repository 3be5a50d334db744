// bpmn-moddle 10 ships typings its exports map does not expose under moduleResolution Bundler.
declare module "bpmn-moddle" {
  export class BpmnModdle {
    constructor(packages?: Record<string, object>);
    fromXML(xml: string): Promise<unknown>;
  }
}
