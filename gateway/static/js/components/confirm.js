// Asking before something that cannot be undone (deleting, replacing), with the action's busy state and error.
import { html } from "../html.js";
import { Dialog } from "./dialog.js";
import { ErrorMessage } from "./feedback.js";
import { Button } from "./form.js";

/** A dialog that runs `onConfirm` when `confirmLabel` is pressed; the action's error is shown inside it. */
export function ConfirmDialog({ title, open, onClose, onConfirm, confirmLabel, busy, error, children, kind = "danger" }) {
  return html`<${Dialog} title=${title} open=${open} onClose=${onClose}>
    <div class="confirm-body">${children}</div>
    <${ErrorMessage} error=${error} />
    <div class="actions confirm-actions">
      <${Button} kind=${kind} busy=${busy} onClick=${onConfirm}>${confirmLabel}</${Button}>
      <${Button} onClick=${onClose}>Cancel</${Button}>
    </div>
  </${Dialog}>`;
}
