// Teachers' timetables: unpacked from the gzip + base64 JSON above, then built with textContent only (never as
// HTML) for the teachers that match the filter. An exact ID shows that teacher alone; otherwise any part of an ID
// or name matches. The page opens on `#teacher=T00012` or `?teacher=T00012` already filtered.
(function () {
  "use strict";
  var data;
  var input = document.getElementById("teacher-filter");
  var list = document.getElementById("teacher-list");
  var count = document.getElementById("teacher-count");
  var built = new Map();

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  function row(cells, tag) {
    var tr = el("tr");
    cells.forEach(function (c) { tr.appendChild(el(tag, c, c === "" ? "free" : undefined)); });
    return tr;
  }

  function grid(rows) {
    if (!rows.length) return el("p", "No section in this plan.", "note");
    var table = el("table");
    table.appendChild(el("thead")).appendChild(row(["Period", "Semester 1", "Semester 2"], "th"));
    var body = table.appendChild(el("tbody"));
    rows.forEach(function (r) { body.appendChild(row(r, "td")); });
    return table;
  }

  function block(t) {
    var box = el("article", undefined, "teacher");
    box.dataset.teacherId = t[0];
    var h = box.appendChild(el("h3", t[1]));
    h.appendChild(el("span", t[0], "id"));
    var school = data.schools[t[2]] ? t[2] + " " + data.schools[t[2]] : t[2];
    box.appendChild(el("p", "School " + school + " · level " + t[3] + " · work location: " + t[4], "meta"));
    box.appendChild(grid(t[5]));
    var why = data.why[t[0]];
    if (why && why.length) {
      box.appendChild(el("h4", "Why"));
      var ul = box.appendChild(el("ul", undefined, "why"));
      why.forEach(function (line) { ul.appendChild(el("li", line)); });
    }
    return box;
  }

  function matches(query) {
    var q = query.trim().toLowerCase();
    if (!q) return data.teachers;
    var exact = data.teachers.filter(function (t) { return t[0].toLowerCase() === q; });
    if (exact.length) return exact;
    return data.teachers.filter(function (t) {
      return t[0].toLowerCase().indexOf(q) >= 0 || t[1].toLowerCase().indexOf(q) >= 0;
    });
  }

  function show() {
    var found = matches(input.value);
    var shown = found.slice(0, data.limit).map(function (t) {
      if (!built.has(t[0])) built.set(t[0], block(t));
      return built.get(t[0]);
    });
    list.replaceChildren.apply(list, shown);
    count.textContent = found.length > shown.length
      ? "showing " + shown.length + " of " + found.length + " matching teachers: type more to narrow"
      : found.length + " of " + data.teachers.length + " teacher(s)";
  }

  function fromAddress() {
    var hash = new URLSearchParams(location.hash.replace(/^#/, ""));
    var query = new URLSearchParams(location.search);
    return hash.get("teacher") || query.get("teacher") || "";
  }

  function unpack() {
    var text = atob(document.getElementById("timetable-data").textContent.trim());
    var bytes = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);  // a plain loop: Uint8Array.from is slow
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).text().then(JSON.parse);
  }

  function start(unpacked) {
    data = unpacked;
    input.value = fromAddress();
    input.addEventListener("input", show);
    window.addEventListener("hashchange", function () { input.value = fromAddress(); show(); });
    show();
  }

  var done = typeof DecompressionStream === "undefined"
    ? Promise.reject(new Error("this browser has no DecompressionStream"))
    : unpack().then(start);
  done.catch(function (error) {
    count.textContent = "The timetables cannot be shown here (" + error.message + "); timetable.csv holds them.";
  }).then(function () { document.body.dataset.ready = "1"; });
})();
