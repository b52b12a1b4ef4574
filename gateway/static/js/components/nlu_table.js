// Pieces the NLU data tables share.
import { html } from "../html.js";

/** A table's head: `columns` are the headings; an empty one is the (unnamed, visually) actions column. */
export function TableHead({ columns }) {
  return html`<thead>
    <tr>
      ${columns.map((column) => html`<th scope="col" key=${column}>${column || html`<span class="visually-hidden">Actions</span>`}</th>`)}
    </tr>
  </thead>`;
}

/** Whether the domain lists an intent or entity, or only examples use it. */
export function DomainBadge({ inDomain }) {
  return inDomain ? html`<span class="badge ok">in domain</span>` : html`<span class="badge warn">examples only</span>`;
}
