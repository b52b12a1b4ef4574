// Who is signed in: the user from GET /api/user, and what their roles allow.
import { get, getToken, post, setToken } from "./api.js";
import { createContext, useContext } from "./html.js";

export const SessionContext = createContext(null);

/** The session of the screen being drawn: `{user, can(permission), signOut(), refresh()}`. */
export function useSession() {
  return useContext(SessionContext);
}

/** Sign in with a username and password (POST /api/auth); resolves to the user. */
export async function signIn(username, password) {
  const { access_token: token } = await post("/api/auth", { username, password });
  setToken(token);
  return get("/api/user");
}

/** The signed-in user, or null when there is no token or it is no longer accepted. */
export async function currentUser() {
  if (!getToken()) return null;
  try {
    return await get("/api/user");
  } catch (error) {
    if (error.status === 401) return null;
    throw error;
  }
}

export function signOut() {
  setToken(null);
}

/** Whether `user` holds `permission` (a name of GET /api/permissions), or any of a list of them. */
export function hasPermission(user, permission) {
  if (!permission) return true;
  const wanted = Array.isArray(permission) ? permission : [permission];
  return wanted.some((name) => user?.permissions?.includes(name));
}
