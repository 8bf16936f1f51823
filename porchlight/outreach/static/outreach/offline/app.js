// Canvass offline: work a downloaded turf with no connection. Every record is written to an IndexedDB outbox
// FIRST (so closing the app mid-sync loses nothing), then a sync loop sends the outbox in batches when online,
// removes only what the server acknowledged, and keeps rejected records for the worker to see.
(function () {
  "use strict";
  const root = document.getElementById("offline-app");
  if (!root) return;
  const T = JSON.parse(document.getElementById("offline-strings").textContent);
  const fmt = (s, vars) => s.replace(/%\((\w+)\)s/g, (_, k) => String(vars[k]));
  const $ = (id) => document.getElementById(id);
  const BATCH = 50;

  // ---- IndexedDB: bundles (by turf), outbox (waiting/rejected records), done (acknowledged records) ----
  let dbPromise = null;
  function db() {
    dbPromise = dbPromise || new Promise((resolve, reject) => {
      const open = indexedDB.open("porchlight-offline-" + root.dataset.user, 1);
      open.onupgradeneeded = () => {
        const d = open.result;
        d.createObjectStore("bundles", { keyPath: "turf.id" });
        d.createObjectStore("outbox", { keyPath: "client_id" }).createIndex("created", "created");
        d.createObjectStore("done", { keyPath: "client_id" });
      };
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    return dbPromise;
  }
  async function tx(stores, mode, work) {
    const d = await db();
    return new Promise((resolve, reject) => {
      const t = d.transaction(stores, mode);
      let result;
      Promise.resolve(work(...[].concat(stores).map((s) => t.objectStore(s)))).then((r) => { result = r; });
      t.oncomplete = () => resolve(result);
      t.onerror = t.onabort = () => reject(t.error);
    });
  }
  const req = (r) => new Promise((resolve, reject) => { r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
  const all = (store) => tx(store, "readonly", (s) => req(s.getAll()));

  // ---- state and screens ----
  let bundle = null;   // the open turf
  let door = null;     // the open door
  function show(id) {
    ["turfs", "doors", "door"].forEach((s) => { $(s).hidden = s !== id; });
    const heading = $(id).querySelector("h2");
    if (heading && id !== "turfs") heading.focus();
  }
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => {
      if (k === "class") node.className = v; else if (k in node && k !== "list") node[k] = v; else node.setAttribute(k, v);
    });
    children.flat().forEach((c) => node.append(c instanceof Node ? c : document.createTextNode(c)));
    return node;
  }
  function tiles(container, type, name, choices, checked) {
    container.replaceChildren(...choices.map((c, i) => {
      const id = name + "-" + i;
      return el("div", { class: "usa-" + type },
        el("input", { class: "usa-" + type + "__input usa-" + type + "__input--tile", type, name, id, value: c.value, checked: checked.includes(String(c.value)) }),
        el("label", { class: "usa-" + type + "__label", for: id }, c.label));
    }));
  }
  const outcomeLabel = (value) => ((bundle && bundle.outcomes.find((o) => o.value === value)) || { label: value }).label;
  const when = (iso) => new Date(iso).toLocaleString([], { dateStyle: "short", timeStyle: "short" });

  // ---- turfs ----
  async function renderTurfs() {
    const bundles = await all("bundles");
    const listed = new Set([...document.querySelectorAll("[data-turf]")].map((n) => n.dataset.turf));
    bundles.forEach((b) => {
      const when_ = document.querySelector(`[data-downloaded-for="${b.turf.id}"]`);
      if (when_) when_.textContent = " · " + fmt(T.downloaded, { when: when(b.generated_at) });
      const open = document.querySelector(`[data-open="${b.turf.id}"]`);
      if (open) open.hidden = false;
    });
    // Downloaded turfs this (possibly stored) page does not list: still workable offline.
    $("other-bundles").replaceChildren(...bundles.filter((b) => !listed.has(String(b.turf.id))).map((b) =>
      el("li", { class: "pl-turf" }, el("p", { class: "pl-turf__name" }, el("strong", {}, b.turf.name), " · " + b.campaign.name),
        el("button", { type: "button", class: "usa-button usa-button--outline", "data-open": b.turf.id }, b.turf.name))));
  }
  async function download(turfId) {
    try {
      const response = await fetch(root.dataset.bundleUrl.replace("{id}", turfId), { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(String(response.status));
      const b = await response.json();
      await tx("bundles", "readwrite", (s) => s.put(b));
      await renderTurfs();
      openTurf(b.turf.id);
    } catch (e) {
      $("sync-message").textContent = T.downloadFailed;
    }
  }
  async function openTurf(turfId) {
    bundle = await tx("bundles", "readonly", (s) => req(s.get(Number(turfId))));
    if (!bundle) return;
    await renderDoors();
    show("doors");
  }

  // ---- doors ----
  async function localRecords() {
    const [outbox, done] = await Promise.all([all("outbox"), all("done")]);
    return outbox.map((r) => ({ ...r, waiting: true })).concat(done)
      .filter((r) => r.kind === "attempt").sort((a, b) => a.body.made_at.localeCompare(b.body.made_at));
  }
  function doorStatus(d, mine) {
    const last = mine.filter((r) => r.body.target === d.target).pop();
    if (last) return fmt(T.yours, { outcome: outcomeLabel(last.body.outcome) }) + (last.waiting ? " · " + T.waitingTag : "");
    if (d.state) return outcomeLabel(d.state.outcome) + " · " + d.state.by + " · " + when(d.state.at);
    return T.notVisited;
  }
  async function renderDoors() {
    const mine = await localRecords();
    $("doors-heading").textContent = bundle.turf.name + " · " + fmt(T.doors, { n: bundle.doors.length });
    $("door-list").replaceChildren(...bundle.doors.map((d) => el("li", { class: "pl-door" },
      el("button", { type: "button", class: "usa-button usa-button--outline", "data-door": d.target },
        d.address, d.do_not_contact ? el("span", { class: "pl-dnc" }, " · " + T.doNotContact) : "",
        el("span", { class: "pl-door__state" }, doorStatus(d, mine))))));
  }
  async function openDoor(targetId) {
    door = bundle.doors.find((d) => d.target === Number(targetId));
    const mine = await localRecords();
    $("door-heading").textContent = door.address;
    $("door-residents").replaceChildren(...door.residents.map((r) => el("li", {}, r.name + " (" + r.language + ")",
      r.do_not_contact ? el("span", { class: "pl-dnc" }, " · " + T.doNotContact) : "")));
    $("door-history").textContent = doorStatus(door, mine);
    const langs = Object.keys(bundle.scripts);
    const preferred = (door.residents[0] && door.residents[0].language) || document.documentElement.lang;
    $("script-language").replaceChildren(...bundle.languages.filter((l) => langs.includes(l.value)).map((l) =>
      el("option", { value: l.value, selected: l.value === preferred }, l.label)));
    renderScript();
    $("door-form").reset();
    tiles($("outcome-choices"), "radio", "outcome", bundle.outcomes, []);
    tiles($("who-choices"), "radio", "who", [{ value: "", label: T.anonymous }].concat(
      door.residents.filter((r) => !r.do_not_contact).map((r) => ({ value: r.id, label: r.name }))), [""]);
    const spoken = bundle.languages.filter((l) => bundle.campaign.languages.includes(l.value) || l.value === preferred);
    tiles($("language-choices"), "radio", "language", spoken, [spoken.some((l) => l.value === preferred) ? preferred : (spoken[0] || {}).value]);
    tiles($("topic-choices"), "checkbox", "topics", bundle.topics.map((t) => ({ value: t.id, label: document.documentElement.lang === "es" && t.name_es ? t.name_es : t.name })), []);
    tiles($("need-choices"), "checkbox", "needs", bundle.need_categories, []);
    $("form-error").textContent = "";
    toggleFields();
    show("door");
  }
  function renderScript() {
    const body = bundle.scripts[$("script-language").value];
    $("script-body").textContent = body || T.noScript;
  }
  function toggleFields() {
    const outcome = ($("door-form").querySelector('input[name="outcome"]:checked') || {}).value;
    $("conversation-fields").hidden = outcome !== "conversation";
    $("callback-field").hidden = outcome !== "call_back";
  }

  // ---- recording: the outbox first ----
  async function save(event) {
    event.preventDefault();
    const form = $("door-form");
    const picked = (name) => [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((i) => i.value);
    const outcome = picked("outcome")[0];
    if (!outcome) { $("form-error").textContent = T.chooseOutcome; return; }
    const now = new Date().toISOString();
    const records = [];
    const attempt = { client_id: crypto.randomUUID(), target: door.target, outcome, made_at: now, note: form.note.value };
    if (outcome === "call_back") attempt.callback_at = form.callback_at.value ? new Date(form.callback_at.value).toISOString() : null;
    if (outcome === "conversation") {
      const details = form.need_details.value;
      const conversation = {
        client_id: crypto.randomUUID(), target: door.target, held_at: now,
        resident: picked("who")[0] ? Number(picked("who")[0]) : null,
        language: picked("language")[0] || "en", topics: picked("topics").map(Number), notes: form.notes.value,
        needs: picked("needs").map((category) => ({ category, details })), wants_follow_up: form.wants_follow_up.checked,
      };
      attempt.conversation_client_id = conversation.client_id;
      records.push({ client_id: conversation.client_id, kind: "conversation", body: conversation });
    }
    records.push({ client_id: attempt.client_id, kind: "attempt", body: attempt });
    await tx("outbox", "readwrite", (s) => records.forEach((r, i) =>
      s.put({ ...r, state: "waiting", errors: null, turf: bundle.turf.id, created: Date.now() + i / 1000 })));
    $("sync-message").textContent = T.saved;
    await renderDoors();
    show("doors");
    refreshStatus();
    sync();
  }

  // ---- sync loop ----
  let syncing = false, backoff = 0, timer = null, signedOut = false;
  function csrfToken() {
    const cookie = document.cookie.split("; ").find((c) => c.startsWith("csrftoken="));
    return cookie ? decodeURIComponent(cookie.split("=")[1]) : root.querySelector("[name=csrfmiddlewaretoken]").value;
  }
  function nextBatch(outbox, size) {
    const waiting = outbox.filter((r) => r.state === "waiting").sort((a, b) => a.created - b.created);
    const batch = waiting.slice(0, size);
    // An attempt travels with its conversation, so the server can link them.
    batch.filter((r) => r.kind === "attempt" && r.body.conversation_client_id).forEach((r) => {
      if (!batch.some((b) => b.client_id === r.body.conversation_client_id)) {
        const c = waiting.find((w) => w.client_id === r.body.conversation_client_id);
        if (c) batch.push(c);
      }
    });
    return batch;
  }
  function retryLater() {
    backoff = Math.min(backoff ? backoff * 2 : 2, 60);
    clearTimeout(timer);
    timer = setTimeout(sync, backoff * 1000 * (0.75 + Math.random() / 2));
    $("sync-message").textContent = fmt(T.retryIn, { s: backoff });
  }
  async function sync() {
    if (syncing || !navigator.onLine) { refreshStatus(); return; }
    syncing = true;
    let size = BATCH;
    try {
      for (;;) {
        const batch = nextBatch(await all("outbox"), size);
        if (!batch.length) break;
        $("sync-state").textContent = T.syncing;
        let response;
        try {
          response = await fetch(root.dataset.syncUrl, {
            method: "POST", credentials: "same-origin",
            headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken() },
            body: JSON.stringify({
              sent_at: new Date().toISOString(),
              attempts: batch.filter((r) => r.kind === "attempt").map((r) => r.body),
              conversations: batch.filter((r) => r.kind === "conversation").map((r) => r.body),
            }),
          });
        } catch (e) { retryLater(); return; }
        if (response.status === 413 && size > 1) { size = Math.max(1, Math.floor(size / 2)); continue; }
        if (response.status === 401 || response.status === 403) { signedOut = true; $("sync-message").textContent = T.signIn; return; }
        if (!response.ok) { retryLater(); return; }
        const { results } = await response.json();
        await acknowledge(batch, results);
        backoff = 0;
        signedOut = false;
        $("sync-message").textContent = "";
      }
    } finally {
      syncing = false;
      refreshStatus();
      if (bundle && !$("doors").hidden) renderDoors();
    }
  }
  async function acknowledge(batch, results) {
    const byId = new Map(batch.map((r) => [r.client_id, r]));
    await tx(["outbox", "done"], "readwrite", (outbox, done) => {
      results.forEach((res) => {
        const record = byId.get(res.client_id);
        if (!record) return;
        if (res.status === "created" || res.status === "duplicate") {
          outbox.delete(record.client_id);
          done.put({ client_id: record.client_id, kind: record.kind, body: record.body, id: res.id, conflict: res.conflict });
        } else {
          outbox.put({ ...record, state: "rejected", errors: res.errors });
        }
      });
    });
  }
  async function refreshStatus() {
    const outbox = await all("outbox");
    const waiting = outbox.filter((r) => r.state === "waiting").length;
    $("net-state").textContent = navigator.onLine ? T.online : T.offline;
    $("net-state").className = "usa-tag" + (navigator.onLine ? " bg-green" : " bg-secondary-dark");
    $("sync-state").textContent = waiting ? fmt(T.waiting, { n: waiting }) : T.allSynced;
    $("sync-state").dataset.waiting = waiting;
    if (signedOut) $("sync-message").textContent = T.signIn;
    const done = await all("done");
    const problems = outbox.filter((r) => r.state === "rejected").map((r) => el("li", { class: "pl-problem" },
      el("strong", {}, T.rejected + ": "), describe(r), " — " + JSON.stringify(r.errors) + " ",
      el("button", { type: "button", class: "usa-button usa-button--unstyled", "data-retry": r.client_id }, T.retry), " ",
      el("button", { type: "button", class: "usa-button usa-button--unstyled", "data-discard": r.client_id }, T.discard)))
      .concat(done.filter((r) => r.conflict).map((r) => el("li", { class: "pl-problem" },
        el("strong", {}, T.conflict + ": "), describe(r) + " — " + r.conflict.message)));
    $("problem-list").replaceChildren(...problems);
    $("problems").hidden = !problems.length;
  }
  function describe(record) {
    const d = bundle && bundle.doors.find((x) => x.target === record.body.target);
    const where = d ? d.address : "#" + record.body.target;
    return where + ", " + (record.kind === "attempt" ? outcomeLabel(record.body.outcome) : "conversation") + ", " + when(record.body.made_at || record.body.held_at);
  }

  // ---- wiring ----
  root.addEventListener("click", async (event) => {
    const t = event.target.closest("button");
    if (!t) return;
    if (t.dataset.download) download(t.dataset.download);
    else if (t.dataset.open) openTurf(t.dataset.open);
    else if (t.dataset.door) openDoor(t.dataset.door);
    else if (t.id === "back-to-doors") { await renderDoors(); show("doors"); }
    else if (t.id === "sync-now") { backoff = 0; sync(); }
    else if (t.dataset.discard || t.dataset.retry) {
      const id = t.dataset.discard || t.dataset.retry;
      await tx("outbox", "readwrite", async (s) => {
        if (t.dataset.discard) { s.delete(id); return; }
        const r = await req(s.get(id));
        s.put({ ...r, state: "waiting", errors: null });
      });
      refreshStatus();
      if (t.dataset.retry) sync();
    }
  });
  $("door-form").addEventListener("submit", save);
  $("door-form").addEventListener("change", toggleFields);
  $("script-language").addEventListener("change", renderScript);
  window.addEventListener("online", () => { backoff = 0; sync(); });
  window.addEventListener("offline", refreshStatus);
  setInterval(sync, 30000);
  if ("serviceWorker" in navigator) navigator.serviceWorker.register(root.dataset.swUrl, { scope: "/" }).catch(() => {});
  if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(() => {});
  renderTurfs().then(async () => {
    const bundles = await all("bundles");
    if (bundles.length === 1) { bundle = bundles[0]; await renderDoors(); }
    refreshStatus();
    sync();
  });
})();
