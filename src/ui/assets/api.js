// Every call carries the session as a Bearer header. No cookies: inside the CRM's frame we are a
// third party, and a header cannot be forged by another site, so there is no CSRF surface.

let token = '';

export function setSessionToken(value) {
  token = value;
}

/** The session's claims, for display only: the server checks the signature on every call. */
export function sessionClaims() {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const json = decodeURIComponent(
      Array.from(atob(payload), (c) => '%' + c.charCodeAt(0).toString(16).padStart(2, '0')).join(''),
    );
    const claims = JSON.parse(json);
    return { portalId: claims.pid, userId: claims.uid, userName: claims.un ?? null, role: claims.role, exp: claims.exp };
  } catch {
    return { portalId: null, userId: null, userName: null, role: 'manager', exp: 0 };
  }
}

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message ?? `HTTP ${status}`);
    this.status = status;
    this.code = body?.error ?? null;
    this.details = body?.details ?? body?.errors ?? null;
    this.body = body;
  }
}

export async function api(path, { method = 'GET', body, query } = {}) {
  let url = path;
  if (query) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
    const qs = params.toString();
    if (qs) url += (url.includes('?') ? '&' : '?') + qs;
  }
  const headers = { authorization: `Bearer ${token}`, accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'omit' });
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = { message: text };
  }
  if (!res.ok) throw new ApiError(res.status, json);
  return json;
}
