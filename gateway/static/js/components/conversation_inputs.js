// Inputs of the conversation filters: text that commits after a pause, and values picked with suggestions.
import { html, useEffect, useMemo, useRef, useState } from "../html.js";
import { Field } from "./form.js";

const DEBOUNCE_MS = 300;
const SUGGESTIONS = 20;
let nextList = 0;

/** An <input> that calls `onCommit(text)` once typing pauses; a new `value` from outside (cleared) replaces it. */
export function DebouncedInput({ value = "", onCommit, ...props }) {
  const [text, setText] = useState(value);
  const committed = useRef(value);
  useEffect(() => {
    if (value !== committed.current) {
      committed.current = value;
      setText(value);
    }
  }, [value]);
  useEffect(() => {
    if (text === committed.current) return undefined;
    const timer = setTimeout(() => {
      committed.current = text;
      onCommit(text);
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text]);
  return html`<input ...${props} value=${text} onInput=${(event) => setText(event.currentTarget.value)} />`;
}

/**
 * Several values of one filter: a text input whose <datalist> is fed by `suggest(text, signal)` as the user types
 * (only while it has focus, so closed filters cost nothing), and the chosen values as removable chips. Enter adds
 * what was typed; picking a suggestion adds it when `isComplete(value)` (a slot name alone is not).
 */
export function ValuePicker({ label, values, onChange, suggest, placeholder, hint, isComplete = () => true }) {
  const [text, setText] = useState("");
  const [focused, setFocused] = useState(false);
  const [options, setOptions] = useState([]);
  const [error, setError] = useState(null);
  const listId = useMemo(() => `value-suggestions-${++nextList}`, []);

  useEffect(() => {
    if (!focused) return undefined;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      suggest(text.trim(), controller.signal, SUGGESTIONS).then(
        (found) => {
          setOptions(found);
          setError(null);
        },
        (caught) => caught.name !== "AbortError" && setError(caught),
      );
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [text, focused]);

  const add = (raw) => {
    const chosen = raw.trim();
    if (chosen && !values.includes(chosen)) onChange([...values, chosen]);
    setText("");
  };
  const typed = (event) => {
    const typedValue = event.currentTarget.value;
    const picked = event.inputType === "insertReplacementText" || (!event.inputType && options.includes(typedValue));
    if (picked && isComplete(typedValue)) add(typedValue);
    else setText(typedValue);
  };
  const keyDown = (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      add(text);
    }
  };

  return html`<div class="value-picker">
    <${Field} label=${label} hint=${hint}
      error=${error && `Suggestions could not be loaded: ${error.message}`}>
      <input type="text" list=${listId} value=${text} placeholder=${placeholder || "Type, then Enter"} autocomplete="off"
        onInput=${typed} onKeyDown=${keyDown} onFocus=${() => setFocused(true)} onBlur=${() => setFocused(false)} />
    </${Field}>
    <datalist id=${listId}>${options.map((option) => html`<option key=${option} value=${option} />`)}</datalist>
    ${values.length > 0 &&
    html`<ul class="chips" aria-label=${`${label}: chosen`}>
      ${values.map(
        (chosen) => html`<li class="chip" key=${chosen}>
          <span>${chosen}</span>
          <button type="button" class="chip-remove" aria-label=${`Remove ${label.toLowerCase()} ${chosen}`}
            onClick=${() => onChange(values.filter((other) => other !== chosen))}>✕</button>
        </li>`,
      )}
    </ul>`}
  </div>`;
}
