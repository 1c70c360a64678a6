// The business review's "Print or save as PDF" button (a script file: the pages allow no inline handler).
(function () {
  "use strict";
  const button = document.getElementById("print");
  if (button) button.addEventListener("click", () => window.print());
})();
