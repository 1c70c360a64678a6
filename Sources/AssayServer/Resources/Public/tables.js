// Sortable tables: a header button with data-sort="number" or "text" sorts the rows by that column (numbers by
// each cell's data-value); pressing it again reverses the order.
(function () {
  "use strict";
  for (const table of document.querySelectorAll("table.sortable")) {
    const headers = Array.from(table.querySelectorAll("thead th"));
    headers.forEach((th, column) => {
      const button = th.querySelector("button[data-sort]");
      if (!button) return;
      button.addEventListener("click", () => {
        const numeric = button.dataset.sort === "number";
        // Numbers largest first, text A to Z first; pressing again reverses.
        const current = th.getAttribute("aria-sort");
        const descending = current ? current !== "descending" : numeric;
        for (const other of headers) other.removeAttribute("aria-sort");
        th.setAttribute("aria-sort", descending ? "descending" : "ascending");
        const body = table.tBodies[0];
        const rows = Array.from(body.rows);
        const value = (row) => {
          const cell = row.cells[column];
          return numeric ? Number(cell.dataset.value) : cell.textContent.trim().toLowerCase();
        };
        rows.sort((a, b) => {
          const x = value(a), y = value(b);
          const order = x < y ? -1 : x > y ? 1 : 0;
          return descending ? -order : order;
        });
        for (const row of rows) body.appendChild(row);
      });
    });
  }
})();
