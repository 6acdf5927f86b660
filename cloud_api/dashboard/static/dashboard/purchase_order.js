/* A draft purchase order's line totals and total, worked out again as quantities are typed or
   lines ticked for removal, in the server's words ("KES 15,756.00"; "–" for a line with no
   cost). Only a preview: the server works them out again on Save, and its figures are kept.
   Amounts are integer cents; BigInt keeps quantity x cost exact at any size. */
(function () {
  "use strict";
  var table = document.querySelector("table.po-lines[data-currency]");
  var total = document.getElementById("order-total");
  if (!table || !total || typeof BigInt === "undefined") { return; }
  var currency = table.getAttribute("data-currency");
  var MAX_QUANTITY = 1000000;  // as the server's check: more is a typing slip
  var NUMBER = /^(\d*)(?:\.(\d*))?$/;

  function money(cents) {
    var sign = cents < 0 ? "-" : "";
    var abs = cents < 0 ? -cents : cents;
    var whole = (abs / BigInt(100)).toLocaleString("en-US");
    var part = String(abs % BigInt(100)).padStart(2, "0");
    return currency + " " + sign + whole + "." + part;
  }

  /* Thousandths of the typed quantity, or null when the server would refuse it. */
  function milli(text, byWeight) {
    var match = NUMBER.exec(text.trim().replace(/,/g, ""));
    if (!match || (match[1] === "" && !match[2])) { return null; }
    var fraction = (match[2] || "").replace(/0+$/, "");
    if (fraction.length > (byWeight ? 3 : 0)) { return null; }
    var value = BigInt(match[1] || "0") * BigInt(1000) + BigInt((fraction + "000").slice(0, 3));
    if (value <= BigInt(0) || value > BigInt(MAX_QUANTITY) * BigInt(1000)) { return null; }
    return value;
  }

  function plural(count, noun) { return count + " " + noun + (count === 1 ? "" : "s"); }

  /* The line under the total saying what it leaves out (the page has it only when the
     saved order leaves something out). */
  function note(text) {
    var span = document.getElementById("order-total-uncosted");
    if (!span) {
      span = document.createElement("span");
      span.className = "muted";
      span.id = "order-total-uncosted";
      total.parentNode.insertBefore(span, document.getElementById("order-total-unsaved"));
    }
    span.replaceChildren(document.createElement("br"), document.createTextNode(text));
    span.hidden = !text;
  }

  function update() {
    var sum = BigInt(0);
    var uncosted = 0;
    var unreadable = 0;
    table.querySelectorAll("tbody tr[data-line]").forEach(function (row) {
      var cell = row.querySelector(".line-total");
      var removed = row.querySelector("input[type=checkbox]");
      var input = row.querySelector("input[name^='qty-']");
      var cost = BigInt(row.getAttribute("data-cost") || "0");
      row.classList.toggle("removed", Boolean(removed && removed.checked));
      if (removed && removed.checked) { cell.textContent = "–"; return; }
      if (cost === BigInt(0)) { uncosted += 1; return; }
      var quantity = milli(input.value, row.getAttribute("data-weight") === "1");
      if (quantity === null) { unreadable += 1; cell.textContent = "–"; return; }
      var line = (quantity * cost + BigInt(500)) / BigInt(1000);
      cell.textContent = money(line);
      sum += line;
    });
    total.textContent = money(sum);
    var left = [];
    if (uncosted) { left.push(plural(uncosted, "product") + " with no cost yet"); }
    if (unreadable) { left.push(plural(unreadable, "product") + " whose quantity needs another look"); }
    note(left.length ? "without " + left.join(", and ") : "");
    document.getElementById("order-total-unsaved").hidden = false;
  }

  table.addEventListener("input", update);
  table.addEventListener("change", update);
})();
