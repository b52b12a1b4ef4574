// The UI's entry point: who is signed in, which screen the URL names, and the frame around it.
import { SIGNED_OUT } from "./api.js";
import { ErrorMessage, Loading } from "./components/feedback.js";
import { Shell } from "./components/shell.js";
import { html, render, useEffect, useState } from "./html.js";
import { currentRoute, matchPath, navigate, useRoute } from "./router.js";
import { PUBLIC_ROUTES, ROUTES } from "./routes.js";
import { currentUser, hasPermission, SessionContext, signOut } from "./session.js";
import Login from "./screens/login.js";

const DEFAULT_PATH = "/conversations";

function find(routes, path) {
  for (const route of routes) {
    const params = matchPath(route.pattern, path);
    if (params) return { route, params };
  }
  return null;
}

/** A screen's module, loaded on first use; a failed load (the gateway restarting) is shown, not swallowed. */
function Screen({ route, params, query }) {
  const [loaded, setLoaded] = useState({ route: null, component: null, error: null });
  useEffect(() => {
    let current = true;
    route.load().then(
      (module) => current && setLoaded({ route, component: module.default, error: null }),
      (error) => current && setLoaded({ route, component: null, error }),
    );
    return () => (current = false);
  }, [route]);
  if (loaded.error) return html`<${ErrorMessage} title="This screen could not be loaded" error=${loaded.error} />`;
  if (loaded.route !== route) return html`<${Loading} />`;
  const Component = loaded.component;
  return html`<${Component} params=${params} query=${query} />`;
}

function App() {
  const { path, query } = useRoute();
  const [session, setSession] = useState({ user: undefined, error: null });
  const refresh = () =>
    currentUser().then(
      (user) => setSession({ user, error: null }),
      (error) => setSession({ user: null, error }),
    );
  useEffect(() => {
    refresh();
    const signedOut = () => setSession({ user: null, error: null });
    window.addEventListener(SIGNED_OUT, signedOut);
    return () => window.removeEventListener(SIGNED_OUT, signedOut);
  }, []);

  const open = find(PUBLIC_ROUTES, path);
  if (open) return html`<${Screen} route=${open.route} params=${open.params} query=${query} />`;
  if (session.user === undefined) return html`<${Loading} what="Starting" />`;
  if (!session.user) {
    return html`<${ErrorMessage} error=${session.error} /><${Login} onSignedIn=${(user) => setSession({ user, error: null })} />`;
  }

  const value = {
    user: session.user,
    can: (permission) => hasPermission(session.user, permission),
    refresh,
    signOut: () => {
      signOut();
      setSession({ user: null, error: null });
    },
  };
  const found = find(ROUTES, path);
  if (!found) {
    const first = ROUTES.find((route) => route.nav && hasPermission(session.user, route.permission));
    navigate(hasPermission(session.user, ROUTES[0].permission) ? DEFAULT_PATH : first?.pattern || "/account", {}, { replace: true });
    return null;
  }
  return html`<${SessionContext.Provider} value=${value}>
    <${Shell} path=${path}>
      ${hasPermission(session.user, found.route.permission)
        ? html`<${Screen} route=${found.route} params=${found.params} query=${query} key=${found.route.pattern} />`
        : html`<div class="error" role="alert">Your roles do not allow this screen.</div>`}
    </${Shell}>
  </${SessionContext.Provider}>`;
}

// Start fetching the first screen's module now, while GET /api/user is still on its way.
find(ROUTES, currentRoute().path)?.route.load();
render(html`<${App} />`, document.getElementById("app"));
