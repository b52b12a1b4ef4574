// The frame around every signed-in screen: navigation (a menu on narrow screens), the user, and the main region.
import { html, useEffect, useRef, useState } from "../html.js";
import { ROUTES } from "../routes.js";
import { hasPermission, useSession } from "../session.js";
import { Announcements } from "./feedback.js";

function navigationGroups(user) {
  const groups = new Map();
  for (const route of ROUTES) {
    if (!route.nav || !hasPermission(user, route.permission)) continue;
    if (!groups.has(route.group)) groups.set(route.group, []);
    groups.get(route.group).push(route);
  }
  return [...groups];
}

export function Shell({ path, children }) {
  const { user, signOut } = useSession();
  const [menuOpen, setMenuOpen] = useState(false);
  const main = useRef(null);
  useEffect(() => {
    setMenuOpen(false);
    // After a change of screen, keyboard and screen-reader users start at the new screen, not at the old link.
    if (document.activeElement && document.activeElement !== document.body) main.current?.focus({ preventScroll: true });
  }, [path]);
  return html`<div class="shell ${menuOpen ? "menu-open" : ""}">
    <a class="skip-link" href="#main" onClick=${(event) => (event.preventDefault(), main.current?.focus())}>Skip to content</a>
    <header class="topbar">
      <button type="button" class="button ghost menu-button" aria-expanded=${menuOpen} aria-controls="navigation"
        onClick=${() => setMenuOpen(!menuOpen)}>☰ <span class="visually-hidden">Menu</span></button>
      <a class="brand" href="#/conversations">Conversely</a>
      <div class="user-menu">
        <a href="#/account" class="username" title="My account">${user.username}</a>
        <button type="button" class="button ghost" onClick=${signOut}>Sign out</button>
      </div>
    </header>
    <nav id="navigation" class="navigation" aria-label="Screens">
      ${navigationGroups(user).map(
        ([group, routes]) => html`<div class="nav-group" key=${group}>
          <h2 class="nav-group-title">${group}</h2>
          <ul>
            ${routes.map(
              (route) => html`<li key=${route.pattern}>
                <a href=${`#${route.pattern}`} aria-current=${isCurrent(route.pattern, path) ? "page" : undefined}>${route.nav}</a>
              </li>`,
            )}
          </ul>
        </div>`,
      )}
    </nav>
    <main id="main" class="main" tabindex="-1" ref=${main}>${children}</main>
    <${Announcements} />
  </div>`;
}

function isCurrent(pattern, path) {
  return path === pattern || path.startsWith(`${pattern}/`);
}
