import { useEffect, useState } from "react";

/** The route in the URL hash, split into segments: `#/data/customer/123` is `["data", "customer", "123"]`. */
export function currentRoute(): string[] {
  return window.location.hash
    .replace(/^#\/?/, "")
    .split("?")[0]
    .split("/")
    .filter(Boolean)
    .map((s) => decodeURIComponent(s));
}

/** Goes to a route given by its segments. */
export function navigate(...segments: string[]): void {
  window.location.hash = `#/${segments.map(encodeURIComponent).join("/")}`;
}

/** The href of a route, for links. */
export function routeHref(...segments: string[]): string {
  return `#/${segments.map(encodeURIComponent).join("/")}`;
}

/** The current route, re-rendering on every hash change. */
export function useRoute(): string[] {
  const [route, setRoute] = useState(currentRoute);
  useEffect(() => {
    const update = () => setRoute(currentRoute());
    window.addEventListener("hashchange", update);
    return () => window.removeEventListener("hashchange", update);
  }, []);
  return route;
}
