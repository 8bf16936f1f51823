// Signing out removes the offline canvassing data of this worker from the device (residents' names and
// addresses in downloaded turfs, the stored app page), so a shared phone does not keep them. Records not yet
// sent would be lost: the worker is asked first.
(function () {
  "use strict";
  const form = document.querySelector("form.pl-logout");
  if (!form || !window.indexedDB || !form.dataset.user) return;
  const name = "porchlight-offline-" + form.dataset.user;

  async function hasDatabase() {
    if (!indexedDB.databases) return true; // cannot tell: opening creates an empty one, which we then delete
    return (await indexedDB.databases()).some((d) => d.name === name);
  }
  function waitingCount() {
    return new Promise((resolve) => {
      const open = indexedDB.open(name);
      open.onupgradeneeded = () => open.transaction.abort(); // it did not exist: nothing is waiting
      open.onerror = () => resolve(0);
      open.onsuccess = () => {
        const d = open.result;
        if (!d.objectStoreNames.contains("outbox")) { d.close(); resolve(0); return; }
        const count = d.transaction("outbox").objectStore("outbox").count();
        count.onsuccess = () => { d.close(); resolve(count.result); };
        count.onerror = () => { d.close(); resolve(0); };
      };
    });
  }
  function removeAll() {
    const gone = new Promise((resolve) => {
      const del = indexedDB.deleteDatabase(name);
      del.onsuccess = del.onerror = del.onblocked = () => resolve();
    });
    const cached = window.caches
      ? caches.keys().then((keys) => Promise.all(keys.filter((k) => k.startsWith("porchlight-offline-"))
          .map((k) => caches.open(k).then((c) => c.delete(form.dataset.offlineApp)))))
      : Promise.resolve();
    return Promise.all([gone, cached]);
  }

  let confirmed = false;
  form.addEventListener("submit", async (event) => {
    if (confirmed) return;
    event.preventDefault();
    try {
      if (await hasDatabase()) {
        const waiting = await waitingCount();
        if (waiting > 0 && !window.confirm(form.dataset.unsentWarning.replace("%(count)s", waiting))) return;
        await removeAll();
      }
    } catch (e) { /* never keep a worker from signing out */ }
    confirmed = true;
    form.requestSubmit ? form.requestSubmit() : form.submit();
  });
})();
