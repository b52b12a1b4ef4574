// Paging through a long list by offset: the list is never loaded whole, whatever its size.
import { html, useEffect } from "../html.js";

/** "1–50 of 100,000" with previous/next; `onChange(offset)` when the user moves. */
export function Pager({ offset, limit, total, onChange, label = "Pages" }) {
  const first = total === 0 ? 0 : offset + 1;
  const last = Math.min(offset + limit, total);
  return html`<nav class="pager" aria-label=${label}>
    <button type="button" class="button" disabled=${offset <= 0} onClick=${() => onChange(Math.max(0, offset - limit))}>
      ← Previous
    </button>
    <span class="pager-position">${first.toLocaleString()}–${last.toLocaleString()} of ${total.toLocaleString()}</span>
    <button type="button" class="button" disabled=${last >= total} onClick=${() => onChange(offset + limit)}>Next →</button>
  </nav>`;
}

/** When deleting emptied the last page, go to the page that is now the last (`onChange(offset)`). */
export function useLastPageInRange({ loading, shown, offset, total, limit, onChange }) {
  useEffect(() => {
    if (!loading && shown === 0 && offset > 0 && total > 0) onChange(Math.floor((total - 1) / limit) * limit);
  }, [loading, shown, offset, total]);
}
