// A destructive action asked twice: the first press asks the question in place, the second does it.
import { html, useEffect, useRef, useState } from "../html.js";

export function ConfirmButton({ children, question, confirmLabel = "Yes, delete", onConfirm, busy, disabled, label }) {
  const [asking, setAsking] = useState(false);
  const first = useRef(null);
  const yes = useRef(null);
  const wasAsking = useRef(false);
  useEffect(() => {
    if (asking) yes.current?.focus();
    else if (wasAsking.current) first.current?.focus();
    wasAsking.current = asking;
  }, [asking]);
  if (!asking) {
    return html`<button type="button" ref=${first} class="button danger small" disabled=${busy || disabled}
      aria-busy=${busy ? "true" : undefined} aria-label=${label} onClick=${() => setAsking(true)}>${children}</button>`;
  }
  const confirm = () => {
    setAsking(false);
    onConfirm();
  };
  return html`<span class="nlu-confirm" role="group" aria-label=${question}
    onKeyDown=${(event) => event.key === "Escape" && (event.stopPropagation(), event.preventDefault(), setAsking(false))}>
    <span class="nlu-confirm-question">${question}</span>
    <button type="button" ref=${yes} class="button danger small" onClick=${confirm}>${confirmLabel}</button>
    <button type="button" class="button small" onClick=${() => setAsking(false)}>Cancel</button>
  </span>`;
}
