import { ConnectorError } from "@kehu/connector-kit";
import { AppError } from "@kehu/core";
import { describe, expect, it } from "vitest";
import { isPermanentFailure } from "./permanent-failure";

describe("isPermanentFailure", () => {
  it.each([
    ["a refused certificate", new ConnectorError("tls", "self-signed certificate"), true],
    [
      "a config value the connector refuses",
      new AppError("validation_failed", "caCertificate is not a PEM certificate", [
        { path: "/config/caCertificate", message: "…" },
      ]),
      true,
    ],
    [
      "a refused login",
      new ConnectorError("auth", "Login to company SBODEMO as manager failed: Login failed", { status: 401 }),
      true,
    ],
    [
      "a host name DNS does not know",
      new ConnectorError("address", "the SAP B1 host no-such-host.invalid could not be found (DNS)"),
      true,
    ],
    ["a dropped connection", new ConnectorError("network", "socket hang up"), false],
    ["a 500", new ConnectorError("http", "HTTP 500", { status: 500 }), false],
    ["an AppError about something else", new AppError("not_found", "no stream x"), false],
    ["a plain error", new Error("connection reset by peer"), false],
  ])("%s", (_label, error, permanent) => {
    expect(isPermanentFailure(error)).toBe(permanent);
  });
});
