// Asking before an action that cannot be undone: what will happen, then Cancel or the action itself.
import { Dialog } from "./dialog.js";
import { ErrorMessage } from "./feedback.js";
import { Button } from "./form.js";
import { html } from "../html.js";

/** A dialog that runs `onConfirm` when `confirmLabel` is pressed; the action's error is shown inside it. */
export function ConfirmDialog({ open, title, confirmLabel, onConfirm, onClose, busy, error, children, kind = "danger" }) {
  return html`<${Dialog} title=${title} open=${open} onClose=${onClose}>
    <div class="confirm-text">${children}</div>
    <${ErrorMessage} error=${error} />
    <div class="actions user-dialog-actions">
      <${Button} kind=${kind} busy=${busy} onClick=${onConfirm}>${confirmLabel}</${Button}>
      <${Button} onClick=${onClose}>Cancel</${Button}>
    </div>
  </${Dialog}>`;
}
