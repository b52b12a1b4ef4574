// Asking before something that cannot be undone (deleting, replacing), with the action's busy state and error.
import { html } from "../html.js";
import { Dialog } from "./dialog.js";
import { ErrorMessage } from "./feedback.js";
import { Button } from "./form.js";

export function ConfirmDialog({ title, open, onClose, onConfirm, confirmLabel, busy, error, children }) {
  return html`<${Dialog} title=${title} open=${open} onClose=${onClose}>
    <div class="confirm-body">${children}</div>
    <${ErrorMessage} error=${error} />
    <div class="actions confirm-actions">
      <${Button} kind="danger" busy=${busy} onClick=${onConfirm}>${confirmLabel}<//>
      <${Button} onClick=${onClose}>Cancel<//>
    </div>
  <//>`;
}
