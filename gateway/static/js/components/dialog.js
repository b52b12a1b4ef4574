// A modal dialog on the native <dialog> element: focus is kept inside and Escape closes it.
import { html, useEffect, useRef } from "../html.js";

export function Dialog({ title, open, onClose, children }) {
  const element = useRef(null);
  useEffect(() => {
    const dialog = element.current;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return html`<dialog ref=${element} class="dialog" aria-label=${title} onClose=${onClose} onCancel=${onClose}>
    <header class="dialog-header">
      <h2>${title}</h2>
      <button type="button" class="button ghost" aria-label="Close" onClick=${onClose}>✕</button>
    </header>
    ${open && children}
  </dialog>`;
}
