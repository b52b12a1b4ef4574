// The list side of an editor screen: a debounced search box and a list of names, each a link to its editor.
import { html, useEffect, useRef, useState } from "../html.js";
import { Field } from "./form.js";

const DEBOUNCE_MS = 300;

/** A search field that calls `onSearch(text)` once typing pauses; follows `value` when the URL changes it. */
export function SearchBox({ label, value = "", onSearch, placeholder }) {
  const [text, setText] = useState(value);
  const timer = useRef(null);
  useEffect(() => setText(value), [value]);
  useEffect(() => () => clearTimeout(timer.current), []);
  const typed = (next) => {
    setText(next);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => onSearch(next.trim()), DEBOUNCE_MS);
  };
  return html`<${Field} label=${label}>
    <input type="search" value=${text} placeholder=${placeholder} onInput=${(event) => typed(event.currentTarget.value)} />
  <//>`;
}

/**
 * Names as links: `items` are `{key, label, meta, href}`; the one whose key is `current` is marked. `onFollow(item)`
 * returning false keeps the user where they are (e.g. unsaved changes they chose to keep).
 */
export function NameList({ label, items, current, onFollow }) {
  return html`<ul class="name-list" aria-label=${label}>
    ${items.map(
      (item) => html`<li key=${item.key}>
        <a href=${item.href} aria-current=${String(item.key) === String(current) ? "page" : undefined}
          onClick=${(event) => onFollow && onFollow(item) === false && event.preventDefault()}>
          <span class="name-list-label">${item.label}</span>
          ${item.meta && html`<small class="muted">${item.meta}</small>`}
        </a>
      </li>`,
    )}
  </ul>`;
}
