import type { FilterState } from "./filter-ast";

/** A named list setup: columns, sort, filter and search. */
export interface SavedView {
  name: string;
  columns: string[];
  sort: string;
  filter: FilterState;
  search: string;
  fuzzy: boolean;
}

// Kept in this browser until the API stores views; one list per entity.
const key = (entity: string) => `kehu.views.${entity}`;

export function loadViews(entity: string): SavedView[] {
  try {
    const parsed = JSON.parse(window.localStorage.getItem(key(entity)) ?? "[]");
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}

/** Saves a view, replacing one of the same name; returns the new list. */
export function saveView(entity: string, view: SavedView): SavedView[] {
  const views = [...loadViews(entity).filter((v) => v.name !== view.name), view];
  window.localStorage.setItem(key(entity), JSON.stringify(views));
  return views;
}

export function deleteView(entity: string, name: string): SavedView[] {
  const views = loadViews(entity).filter((v) => v.name !== name);
  window.localStorage.setItem(key(entity), JSON.stringify(views));
  return views;
}
