import { describe, expect, it } from "vitest";
import { ProgressMeter } from "./progress-meter";

const clock = (times: number[]) => () => times.shift() ?? 0;

describe("ProgressMeter", () => {
  it("redraws one bar in place on a terminal with percentage and rows per second", () => {
    let text = "";
    const meter = new ProgressMeter({ out: { write: (s) => (text += s) }, tty: true }, 1000, clock([0, 1000, 2000]));
    meter.update(5000, 250);
    meter.update(10000, 1000);
    meter.finish();
    expect(text).toBe(
      "\r[########----------------------]  25% 5,000 rows, 5,000 rows/s\u001b[K" +
        "\r[##############################] 100% 10,000 rows, 5,000 rows/s\u001b[K\n",
    );
  });

  it("writes a plain line at most every two seconds elsewhere", () => {
    let text = "";
    const meter = new ProgressMeter(
      { out: { write: (s) => (text += s) }, tty: false },
      0,
      clock([0, 2500, 3000, 5000]),
    );
    meter.update(100, 0);
    meter.update(200, 0);
    meter.update(300, 0);
    meter.finish();
    expect(text).toBe("  0% 100 rows, 40 rows/s\n  0% 300 rows, 60 rows/s\n");
  });

  it("shows the first update at once, however early it comes", () => {
    let text = "";
    const meter = new ProgressMeter({ out: { write: (s) => (text += s) }, tty: false }, 0, clock([0, 100]));
    meter.update(30, 0);
    expect(text).toBe("  0% 30 rows, 300 rows/s\n");
  });
});
