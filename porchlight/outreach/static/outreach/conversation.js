// Conversation form: show only the part for who was met, pick a resident from live search, and stop
// double taps (the client_id already makes a resubmission harmless; this just spares the worker a second wait).
(function () {
  const form = document.getElementById("conversation-form");
  if (!form) return;
  const sections = form.querySelectorAll(".pl-who");
  function showWho() {
    const checked = form.querySelector('input[name="who"]:checked');
    const who = checked ? checked.value : "anonymous";
    sections.forEach((s) => { s.hidden = s.dataset.who !== who; });
  }
  form.querySelectorAll('input[name="who"]').forEach((r) => r.addEventListener("change", showWho));
  showWho();

  document.getElementById("resident-results").addEventListener("click", (event) => {
    const button = event.target.closest("[data-pick-resident]");
    if (!button) return;
    form.querySelector('input[name="resident"]').value = button.dataset.pickResident;
    document.getElementById("picked-resident").textContent = button.dataset.label + " " + button.dataset.name;
    const lang = form.querySelector('input[name="language"][value="' + button.dataset.language + '"]');
    if (lang) lang.checked = true;
    document.getElementById("resident-results").innerHTML = "";
    document.getElementById("resident-search").value = "";
  });

  // The client_id makes a resubmission harmless, but only if a resubmission carries the same id. When the
  // worker presses Back after saving, the browser may fetch this page again, with a fresh id from the server,
  // while it restores what she typed. So remember the id in this history entry's state, which Back restores,
  // and put it back: sending "the same page" again then finds the first record instead of adding a second.
  const clientId = form.querySelector('input[name="client_id"]');
  const remembered = window.history.state && window.history.state.conversationClientId;
  if (remembered) clientId.value = remembered;

  const submit = form.querySelector("[data-submit-once]");
  form.addEventListener("submit", () => {
    window.history.replaceState({ ...(window.history.state || {}), conversationClientId: clientId.value }, "");
    setTimeout(() => { submit.disabled = true; }, 0);
  });
  // Coming back with the browser's Back button can restore this page as it was left, button disabled and
  // all; let the worker send it again (the same client_id makes that harmless).
  window.addEventListener("pageshow", () => { submit.disabled = false; showWho(); });
})();
