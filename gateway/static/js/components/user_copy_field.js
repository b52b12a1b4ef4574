// A read-only value to copy (a link, a token): the clipboard where the browser allows it, else the text selected.
import { html, useRef, useState } from "../html.js";
import { notify } from "./feedback.js";

let nextId = 0;

/** A labelled read-only `value` with a Copy button; `secret` hides it until "Show" is pressed. */
export function CopyField({ label, value, secret = false, what = label }) {
  const input = useRef(null);
  const id = useRef(`copy-${++nextId}`).current;
  const [shown, setShown] = useState(!secret);

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      notify(`${what} copied.`);
    } catch {
      // No clipboard (a page served over plain HTTP, or permission refused): select the text for Ctrl+C instead.
      setShown(true);
      setTimeout(() => {
        input.current?.focus();
        input.current?.select();
      });
      notify(`Press Ctrl+C (⌘C) to copy the selected ${what.toLowerCase()}.`);
    }
  }

  return html`<div class="field copy-field">
    <label for=${id}>${label}</label>
    <div class="copy-row">
      <input id=${id} ref=${input} readonly value=${value} type=${shown ? "text" : "password"}
        spellcheck=${false} autocomplete="off" onFocus=${(event) => event.currentTarget.select()} />
      ${secret &&
      html`<button type="button" class="button" aria-pressed=${shown ? "true" : "false"} onClick=${() => setShown(!shown)}>
        ${shown ? "Hide" : "Show"}
      </button>`}
      <button type="button" class="button" onClick=${copy}>Copy</button>
    </div>
  </div>`;
}
