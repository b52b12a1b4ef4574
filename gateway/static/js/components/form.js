// Form controls with their label and their own error, so a validation error is shown where it is.
import { cloneElement, html } from "../html.js";

let nextId = 0;
const fieldId = () => `field-${++nextId}`;

/** A labelled control; `error` (a string) is shown under it and announced with it. */
export function Field({ label, error, hint, children, id }) {
  const child = Array.isArray(children) ? children.find((item) => item && typeof item === "object") : children;
  const controlId = id || child?.props?.id || fieldId();
  const errorId = `${controlId}-error`;
  const control =
    child &&
    cloneElement(child, {
      id: controlId,
      "aria-invalid": error ? "true" : undefined,
      "aria-describedby": error ? errorId : undefined,
    });
  return html`<div class="field ${error ? "invalid" : ""}">
    <label for=${controlId}>${label}</label>
    ${control}
    ${hint && !error && html`<small class="hint">${hint}</small>`}
    ${error && html`<small class="field-error" id=${errorId}>${error}</small>`}
  </div>`;
}

/** A button that shows it is busy and cannot be pressed twice meanwhile. */
export function Button({ busy, children, kind = "", type = "button", ...props }) {
  return html`<button type=${type} class="button ${kind}" disabled=${busy || props.disabled} aria-busy=${busy ? "true" : undefined} ...${props}>
    ${children}
  </button>`;
}

/** The value of an input event, for `onInput=${(event) => set(value(event))}`. */
export const value = (event) => event.currentTarget.value;
