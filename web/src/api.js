// Talking to sinew's HTTP API. A token (for runs served beyond loopback) comes from the page's
// #token=... fragment and is sent as a bearer token; the static page itself needs none.
const token = new URLSearchParams(location.hash.slice(1)).get("token");

function headers() {
  return token ? { Authorization: `Bearer ${token}` } : {};
}

export async function getJson(path, params = {}) {
  const query = new URLSearchParams(params).toString();
  const response = await fetch(query ? `${path}?${query}` : path, { headers: headers() });
  if (response.status === 404 || response.status === 204) return null;
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return response.json();
}

export async function post(path) {
  const response = await fetch(path, { method: "POST", headers: headers() });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.error || `${path}: HTTP ${response.status}`);
  return body;
}
