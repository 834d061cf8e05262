const CSRF = document.querySelector('meta[name="csrf"]').content;
async function api(path, body) {
  const r = await fetch(path, {method: "POST", credentials: "same-origin",
    headers: {"Content-Type": "application/json", "X-CSRF-Token": CSRF}, body: JSON.stringify(body || {})});
  let data = {};
  try { data = await r.json(); } catch (_) { /* empty answer */ }
  return {ok: r.ok, status: r.status, detail: data.detail || ""};
}
document.getElementById("logout").addEventListener("click", async () => {
  await api("/api/logout"); location.href = "/login";
});
