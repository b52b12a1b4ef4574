// Screens are chosen by the URL's fragment (`#/conversations/abc?tag=1`), so the gateway serves one page for all.
import { useEffect, useState } from "./html.js";

/** The current route: `{path, query}` with `query` a plain object of the fragment's parameters. */
export function currentRoute() {
  const fragment = location.hash.replace(/^#/, "") || "/";
  const [path, search = ""] = fragment.split("?");
  return { path: path || "/", query: Object.fromEntries(new URLSearchParams(search)) };
}

/** The fragment for `path` and `query` (empty values left out): use it as a link's href. */
export function href(path, query = {}) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== "") params.set(name, String(value));
  }
  const search = params.toString();
  return `#${path}${search ? `?${search}` : ""}`;
}

/** Go to `path`; `replace` changes the current history entry (for filters) instead of adding one. */
export function navigate(path, query = {}, { replace = false } = {}) {
  const target = href(path, query);
  if (replace) history.replaceState(null, "", target);
  else history.pushState(null, "", target);
  window.dispatchEvent(new HashChangeEvent("hashchange"));
}

/** The current route, redrawn on every change of the fragment. */
export function useRoute() {
  const [route, setRoute] = useState(currentRoute);
  useEffect(() => {
    const changed = () => setRoute(currentRoute());
    window.addEventListener("hashchange", changed);
    return () => window.removeEventListener("hashchange", changed);
  }, []);
  return route;
}

/** The parameters of `pattern` (`/conversations/:id`) in `path`, or null when it does not match. */
export function matchPath(pattern, path) {
  const names = [];
  const source = pattern.replace(/:([A-Za-z_]+)/g, (_, name) => {
    names.push(name);
    return "([^/]+)";
  });
  const found = new RegExp(`^${source}/?$`).exec(path);
  if (!found) return null;
  return Object.fromEntries(names.map((name, index) => [name, decodeURIComponent(found[index + 1])]));
}
