// Switching between the parts of an editor screen with links, so each part has its own URL.
import { html } from "../html.js";

/**
 * `tabs`: `[{key, label, href}]`; the one whose key is `current` is marked as the current page. `onFollow(tab)`
 * returning false keeps the user where they are.
 */
export function EditorTabs({ label, tabs, current, onFollow }) {
  return html`<nav class="editor-tabs" aria-label=${label}>
    ${tabs.map(
      (tab) => html`<a key=${tab.key} href=${tab.href} aria-current=${tab.key === current ? "page" : undefined}
        onClick=${(event) => onFollow && onFollow(tab) === false && event.preventDefault()}>${tab.label}</a>`,
    )}
  </nav>`;
}
