// Creator studio: the live 32,000-character budget, counts under short
// fields, and adding lorebook entries. The server enforces every limit again.
(function () {
  "use strict";

  function budget() {
    var meter = document.querySelector("[data-budget-meter]");
    if (!meter) return;
    var limit = parseInt(meter.getAttribute("data-budget-limit"), 10);
    var used = meter.querySelector("[data-budget-used]");
    var bar = document.querySelector("[data-budget-bar]");
    var fields = document.querySelectorAll("textarea[data-budget]");
    function separatorsOnly(el) {
      // Greeting lists are split on lines holding only ---; those do not count.
      if (el.name === "alternate_greetings" || el.name === "group_only_greetings") {
        return el.value.split(/^\s*---\s*$/m).reduce(function (n, part) { return n + part.trim().length; }, 0);
      }
      return el.value.length;
    }
    function update() {
      var total = 0;
      fields.forEach(function (el) { total += separatorsOnly(el); });
      used.textContent = total.toLocaleString();
      var share = Math.min(1, total / limit);
      meter.classList.toggle("is-over", total > limit);
      if (bar) bar.parentElement.setAttribute("data-fill", String(Math.round(share * 20) * 5));
    }
    fields.forEach(function (el) { el.addEventListener("input", update); });
    update();
  }

  function lorebook() {
    var button = document.querySelector("[data-add-entry]");
    var template = document.querySelector("[data-entry-template]");
    var list = document.querySelector("[data-entries]");
    var total = document.querySelector("input[name='entry-TOTAL_FORMS']");
    if (!button || !template || !list || !total) return;
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      var wrapper = document.createElement("div");
      wrapper.innerHTML = html;
      var entry = wrapper.firstElementChild;
      list.appendChild(entry);
      total.value = String(index + 1);
      var first = entry.querySelector("input[type=text]");
      if (first) first.focus();
    });
  }

  // A live count under fields with a short limit (data-max-chars), red past it.
  function counters() {
    document.querySelectorAll("[data-max-chars]").forEach(function (field) {
      var max = parseInt(field.getAttribute("data-max-chars"), 10);
      var out = document.createElement("p");
      out.className = "field__count";
      out.setAttribute("aria-live", "polite");
      field.insertAdjacentElement("afterend", out);
      function update() {
        var n = field.value.length;
        out.textContent = n + " / " + max;
        out.classList.toggle("is-over", n > max);
      }
      field.addEventListener("input", update);
      update();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    budget();
    counters();
    lorebook();
  });
})();
