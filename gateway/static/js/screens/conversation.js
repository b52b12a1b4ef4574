// Placeholder until this screen is built.
import { html } from "../html.js";

export default function Screen() {
  return html`<h1>conversation</h1><p>Not built yet.</p>`;
}
