/** One cell as a sheet gives it: CSV cells are text, XLSX cells keep their type. */
export type SheetCell = string | number | boolean | Date | null;

/** One row of a sheet: its number as the user sees it (the header is row 1) and its cells. */
export interface SheetRow {
  row: number;
  cells: SheetCell[];
}

/** Whether a cell holds nothing (empty or only spaces). */
export function isEmptyCell(cell: SheetCell | undefined): boolean {
  return cell === null || cell === undefined || (typeof cell === "string" && cell.trim() === "");
}
