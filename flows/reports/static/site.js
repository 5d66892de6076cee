/* Shared behaviour of every report page (no data, no network): a table wider than its column scrolls inside
   its frame (.table-wrap); the frame joins the keyboard order so that keyboard users can scroll it too, and is
   named after the table's caption for screen readers. */
(function () {
  "use strict";
  function reachable() {
    var frames = document.querySelectorAll(".table-wrap");
    for (var i = 0; i < frames.length; i++) {
      var frame = frames[i], caption = frame.querySelector("caption");
      if (!frame.hasAttribute("tabindex")) { frame.tabIndex = 0; }
      if (caption && !frame.hasAttribute("aria-label")) {
        frame.setAttribute("role", "region");
        frame.setAttribute("aria-label", caption.textContent.trim().slice(0, 120));
      }
    }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", reachable); } else { reachable(); }
})();
