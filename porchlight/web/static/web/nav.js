// The open phone menu: USWDS hides the page behind it from screen readers (aria-hidden) but leaves its links
// focusable; make that part inert as well, so that nothing hidden can take keyboard focus.
(function () {
  "use strict";
  new MutationObserver((changes) => {
    changes.forEach((c) => { c.target.inert = c.target.hasAttribute("data-nav-hidden"); });
  }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ["data-nav-hidden"] });
})();
