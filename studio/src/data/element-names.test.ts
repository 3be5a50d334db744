// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import { elementNames } from "./element-names";

describe("the names of a process's elements", () => {
  it("reads the designer's names by element id, with or without a bpmn prefix, skipping unnamed ones", () => {
    const xml = `<?xml version="1.0"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">
  <bpmn:process id="quote" name="报价审批">
    <bpmn:startEvent id="s"/>
    <bpmn:userTask id="review" name=" 经理审批 "/>
    <bpmn:serviceTask name="Mark approved" id="mark"/>
  </bpmn:process>
</bpmn:definitions>`;
    expect([...elementNames(xml)]).toEqual([
      ["quote", "报价审批"],
      ["review", "经理审批"],
      ["mark", "Mark approved"],
    ]);
  });
});
