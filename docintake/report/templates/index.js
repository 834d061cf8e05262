// Filter by text, programme and verdict; sort by clicking a column head (again to reverse).
(function () {
  var table = document.getElementById("index");
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.querySelectorAll("tr[data-verdict]"));
  var q = document.getElementById("q"), programme = document.getElementById("programme"),
      verdict = document.getElementById("verdict"), shown = document.getElementById("shown");
  function filter() {
    var text = q.value.trim().toLowerCase(), n = 0;
    rows.forEach(function (row) {
      var ok = (!text || row.dataset.search.indexOf(text) >= 0) &&
               (!programme.value || row.dataset.programme === programme.value) &&
               (!verdict.value || row.dataset.verdict === verdict.value);
      row.hidden = !ok;
      if (ok) n++;
    });
    shown.textContent = "显示 " + n + " / " + rows.length;
  }
  [q, programme, verdict].forEach(function (el) { el.addEventListener("input", filter); });
  document.getElementById("filters").addEventListener("submit", function (e) { e.preventDefault(); });
  var heads = table.tHead.rows[0].cells;
  Array.prototype.forEach.call(heads, function (th, col) {
    if (!th.dataset.type) return;
    th.addEventListener("click", function () {
      var asc = th.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(heads, function (h) { if (h.dataset.type) h.setAttribute("aria-sort", "none"); });
      th.setAttribute("aria-sort", asc ? "ascending" : "descending");
      var num = th.dataset.type === "num";
      rows.sort(function (a, b) {
        var x = a.cells[col].dataset.v, y = b.cells[col].dataset.v;
        var c = num ? parseFloat(x) - parseFloat(y) : x.localeCompare(y, "zh-CN");
        return asc ? c : -c;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
})();
