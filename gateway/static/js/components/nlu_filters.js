// Filters kept in the URL's fragment (so reload and the back button keep them), and a debounced search box.
import { html, useEffect, useState } from "../html.js";
import { navigate } from "../router.js";
import { Field, value } from "./form.js";

const SEARCH_DELAY_MS = 300;

/** `change(changes)` sets the fragment's filters; any change but the offset's goes back to the first page. */
export function useFragmentFilters(path, query) {
  return (changes) => {
    const paging = "offset" in changes ? {} : { offset: "" };
    navigate(path, { ...query, ...paging, ...changes }, { replace: true });
  };
}

/** A search box: `onSearch(text)` once the user has stopped typing for a moment. */
export function SearchField({ label, text, onSearch, placeholder }) {
  const [typed, setTyped] = useState(text || "");
  useEffect(() => setTyped(text || ""), [text]);
  useEffect(() => {
    if (typed === (text || "")) return undefined;
    const timer = setTimeout(() => onSearch(typed), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [typed]);
  return html`<${Field} label=${label}>
    <input type="search" value=${typed} placeholder=${placeholder} onInput=${(event) => setTyped(value(event))} />
  </${Field}>`;
}

/** A select of names with an "any" first choice; `onChoose("")` for any. */
export function NameFilter({ label, names, chosen, anyLabel, onChoose }) {
  const choices = chosen && !names.includes(chosen) ? [chosen, ...names] : names;
  return html`<${Field} label=${label}>
    <select value=${chosen || ""} onChange=${(event) => onChoose(value(event))}>
      <option value="">${anyLabel}</option>
      ${choices.map((name) => html`<option value=${name} key=${name}>${name}</option>`)}
    </select>
  </${Field}>`;
}
