// Creator studio: the live 32,000-character budget, counts under short
// fields, adding and removing greetings, adding lorebook entries. The server
// enforces every limit again.
(function () {
  "use strict";

  // Characters as the server counts them (code points: an emoji is one, where
  // a string's length counts two).
  function chars(text) {
    var n = 0;
    for (var i = 0; i < text.length; i++) {
      var c = text.charCodeAt(i);
      if (c < 0xdc00 || c > 0xdfff) n++;
    }
    return n;
  }

  // The meter counts what the server counts: every prompt-facing textarea's
  // value as the page holds it (line breaks are one character, \n, here and
  // once saved), greetings box by box, empty boxes not at all.
  function budget() {
    var meter = document.querySelector("[data-budget-meter]");
    if (!meter) return function () {};
    var limit = parseInt(meter.getAttribute("data-budget-limit"), 10);
    var used = meter.querySelector("[data-budget-used]");
    var bar = document.querySelector("[data-budget-bar]");
    function count(el) {
      if (el.hasAttribute("data-greeting") && !el.value.trim()) return 0;
      return chars(el.value);
    }
    function update() {
      var total = 0;
      document.querySelectorAll("textarea[data-budget]").forEach(function (el) { total += count(el); });
      used.textContent = total.toLocaleString();
      var share = Math.min(1, total / limit);
      meter.classList.toggle("is-over", total > limit);
      if (bar) bar.parentElement.setAttribute("data-fill", String(Math.round(share * 20) * 5));
    }
    document.addEventListener("input", function (event) {
      if (event.target.matches && event.target.matches("textarea[data-budget]")) update();
    });
    update();
    return update;
  }

  // Greetings, one box each: Add appends an empty box, Remove takes one out.
  // Boxes are numbered in order; the server drops empty ones.
  function greetings(changed) {
    document.querySelectorAll("[data-greetings]").forEach(function (group) {
      var list = group.querySelector("[data-greeting-list]");
      var template = group.querySelector("[data-greeting-template]");
      var add = group.querySelector("[data-greeting-add]");
      var item = group.getAttribute("data-greetings-item");
      if (!list || !template || !add) return;
      var next = list.children.length;
      function renumber() {
        Array.prototype.forEach.call(list.children, function (li, i) {
          li.querySelector("label").textContent = item + " " + (i + 1);
        });
      }
      group.querySelectorAll("[data-greeting-remove]").forEach(function (b) { b.hidden = false; });
      add.hidden = false;
      add.addEventListener("click", function () {
        var li = template.content.firstElementChild.cloneNode(true);
        var box = li.querySelector("textarea");
        box.id = group.id + "_" + next++;
        li.querySelector("label").htmlFor = box.id;
        list.appendChild(li);
        renumber();
        box.focus();
      });
      group.addEventListener("click", function (event) {
        var button = event.target.closest("[data-greeting-remove]");
        if (!button) return;
        var li = button.closest("li");
        var neighbour = li.nextElementSibling || li.previousElementSibling;
        li.remove();
        renumber();
        changed();
        (neighbour ? neighbour.querySelector("textarea") : add).focus();
      });
    });
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
        var n = chars(field.value);
        out.textContent = n + " / " + max;
        out.classList.toggle("is-over", n > max);
      }
      field.addEventListener("input", update);
      update();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var changed = budget();
    greetings(changed);
    counters();
    lorebook();
  });
})();
