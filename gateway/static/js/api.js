// The one way the UI talks to the gateway: the public HTTP API, with the signed-in user's token.

const TOKEN_KEY = "conversely.token";
export const SIGNED_OUT = "conversely:signed-out";

/** A failed API call: Rasa X's error body (`message`, `reason`, `details`) and the HTTP status. */
export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message || `The server answered ${status}`);
    this.status = status;
    this.reason = body?.reason || "";
    this.details = body?.details || {};
  }
}

let pageToken = null;

export function getToken() {
  return pageToken || localStorage.getItem(TOKEN_KEY);
}

/** The signed-in user's token, kept across reloads and tabs (null: sign out). */
export function setToken(token) {
  if (token) localStorage.setItem(TOKEN_KEY, token);
  else localStorage.removeItem(TOKEN_KEY);
}

/** A token for this page only (the share-your-bot guest), which never replaces the signed-in user's. */
export function setPageToken(token) {
  pageToken = token;
}

/** `path` with the query's non-empty values; arrays become Rasa X's comma lists. */
export function withQuery(path, query = {}) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === "") continue;
    if (Array.isArray(value)) {
      if (value.length) params.set(name, value.join(","));
    } else params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `${path}${path.includes("?") ? "&" : "?"}${text}` : path;
}

function headers(extra = {}) {
  const token = getToken();
  return token ? { Authorization: `Bearer ${token}`, ...extra } : extra;
}

async function failure(response) {
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = { message: `${response.status} ${response.statusText}` };
  }
  // A page token (the guest's) failing must not sign out a team member signed in in the same browser.
  if (response.status === 401 && !pageToken && getToken()) {
    setToken(null);
    window.dispatchEvent(new Event(SIGNED_OUT));
  }
  return new ApiError(response.status, body);
}

/**
 * Call the API. `json` is sent as JSON, `body` as is (a string, a Blob, FormData); `accept` asks for another media
 * type. The answer is the parsed JSON, the text for non-JSON answers, or null for 204. Throws ApiError on any
 * non-2xx answer.
 */
export async function request(method, path, { query, json, body, contentType, accept, signal } = {}) {
  const extra = {};
  if (json !== undefined) extra["Content-Type"] = "application/json";
  if (contentType) extra["Content-Type"] = contentType;
  if (accept) extra.Accept = accept;
  const response = await fetch(withQuery(path, query), {
    method,
    headers: headers(extra),
    body: json !== undefined ? JSON.stringify(json) : body,
    signal,
  });
  if (!response.ok) throw await failure(response);
  if (response.status === 204) return null;
  const type = response.headers.get("content-type") || "";
  return type.includes("json") ? response.json() : response.text();
}

export const get = (path, query, options) => request("GET", path, { ...options, query });
export const post = (path, json, options) => request("POST", path, { ...options, json });
export const put = (path, json, options) => request("PUT", path, { ...options, json });
export const patch = (path, json, options) => request("PATCH", path, { ...options, json });
export const del = (path, options) => request("DELETE", path, options);

/** One page of a list: `{items, total}`, the total from the X-Total-Count header. */
export async function page(path, query, { signal } = {}) {
  const response = await fetch(withQuery(path, query), { headers: headers(), signal });
  if (!response.ok) throw await failure(response);
  const items = await response.json();
  const total = Number(response.headers.get("x-total-count") ?? items.length);
  return { items, total };
}

/**
 * Upload a file with progress: `onProgress(fraction)` as the bytes go out. XMLHttpRequest, because fetch reports
 * no upload progress. Resolves to the parsed answer; rejects with ApiError.
 */
export function upload(method, path, formData, onProgress = () => {}) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, path);
    const token = getToken();
    if (token) xhr.setRequestHeader("Authorization", `Bearer ${token}`);
    xhr.upload.onprogress = (event) => event.lengthComputable && onProgress(event.loaded / event.total);
    xhr.onload = () => {
      let body = null;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        body = { message: xhr.responseText };
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve(body);
      } else reject(new ApiError(xhr.status, body));
    };
    xhr.onerror = () => reject(new ApiError(0, { message: "The upload failed: the gateway could not be reached." }));
    xhr.send(formData);
  });
}

/** Download an API resource as a file (the token goes in the header, never in a URL). */
export async function download(path, filename, query) {
  const response = await fetch(withQuery(path, query), { headers: headers() });
  if (!response.ok) throw await failure(response);
  const name = filename || /filename="?([^";]+)"?/.exec(response.headers.get("content-disposition") || "")?.[1];
  const url = URL.createObjectURL(await response.blob());
  const link = Object.assign(document.createElement("a"), { href: url, download: name || "download" });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
