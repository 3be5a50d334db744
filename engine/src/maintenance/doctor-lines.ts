import type { Finding } from "./doctor-finding";
import type { DoctorReport } from "./run-doctor";

/** The report as readable lines, grouped per entity (system first), ending in a verdict. */
export function doctorLines(report: DoctorReport, repairAsked: boolean): string[] {
  const lines: string[] = [];
  if (report.repaired.length) {
    lines.push(`Repaired ${report.repaired.length}:`);
    for (const f of report.repaired) lines.push(`  ${f.group}: ${f.kind} ${f.object} (${f.repair?.description})`);
  }
  if (report.failed.length) {
    lines.push(`Could not repair ${report.failed.length}:`);
    for (const { finding: f, error } of report.failed) lines.push(`  ${f.group}: ${f.kind} ${f.object}: ${error}`);
  }
  const groups = new Map<string, Finding[]>();
  for (const f of report.findings) groups.set(f.group, [...(groups.get(f.group) ?? []), f]);
  const names = [...groups.keys()].sort((a, b) => (a === "system" ? -1 : b === "system" ? 1 : a.localeCompare(b)));
  for (const name of names) {
    lines.push(name === "system" ? "Kehu system schema:" : `Entity ${name}:`);
    for (const f of groups.get(name)!) lines.push(`  ${findingLine(f, repairAsked)}`);
  }
  const drift = report.findings.filter((f) => f.severity === "drift");
  const notices = report.findings.length - drift.length;
  const noticeText = notices ? ` (${notices} notice${notices === 1 ? "" : "s"})` : "";
  if (!drift.length) lines.push(`Healthy: the database matches the metadata${noticeText}.`);
  else {
    const fixable = drift.filter((f) => f.repair).length;
    const hint = fixable && !repairAsked ? `; ${fixable} can be repaired with \`kehu doctor --repair\`` : "";
    lines.push(`Drift: ${drift.length} finding${drift.length === 1 ? "" : "s"}${noticeText}${hint}.`);
  }
  return lines;
}

function findingLine(f: Finding, repairAsked: boolean): string {
  const parts = [f.severity === "notice" ? `notice: ${f.kind} ${f.object}` : `${f.kind}: ${f.object}`];
  if (f.expected !== undefined || f.actual !== undefined)
    parts.push(`expected ${f.expected ?? "nothing"}, found ${f.actual ?? "nothing"}`);
  if (f.repair && !repairAsked) parts.push(`repairable: ${f.repair.description}`);
  else if (f.reason) parts.push(f.reason);
  return parts.join("; ");
}
