// Kindred's small page script: the live unread badge, menus that close like
// menus, copy buttons, confirmations. Pages that stream (chat) load their own script.
(function () {
  "use strict";

  // A badge shows the number; a screen reader hears it in words ("3 unread
  // notifications", the nouns from the badge's data-one / data-many), not a
  // bare "3" after the button's name. The socket counts no further than 100.
  function showUnread(badge, n) {
    var number = badge.querySelector("[data-unread-number]");
    var words = badge.querySelector("[data-unread-words]");
    (number || badge).textContent = n > 99 ? "99+" : String(n);
    if (words) {
      var noun = words.getAttribute(n === 1 ? "data-one" : "data-many");
      words.textContent = (n > 99 ? "more than 99" : String(n)) + " " + noun;
    }
    badge.hidden = n === 0;
  }

  function connectUserSocket(path) {
    var badges = document.querySelectorAll("[data-unread-badge]");
    if (!badges.length || !window.WebSocket) return;
    var delay = 1000;
    function open() {
      var scheme = location.protocol === "https:" ? "wss://" : "ws://";
      var socket = new WebSocket(scheme + location.host + path);
      socket.onopen = function () { delay = 1000; };
      socket.onmessage = function (event) {
        var data;
        try { data = JSON.parse(event.data); } catch (e) { return; }
        if (data.type === "notify.unread") {
          badges.forEach(function (badge) { showUnread(badge, data.unread); });
        }
      };
      socket.onclose = function (event) {
        if (event.code >= 4000) return; // refused: do not hammer the server
        setTimeout(open, delay);
        delay = Math.min(delay * 2, 30000);
      };
    }
    open();
  }

  // Menus and popovers are <details>: like any menu, they close on Escape
  // and on a click elsewhere, and an opened one scrolls into view.
  var POPOVERS = "details.menu, details.share";

  function closePopovers(except) {
    document.querySelectorAll(POPOVERS).forEach(function (d) {
      if (d.open && d !== except && !d.contains(except)) d.open = false;
    });
  }

  document.addEventListener("click", function (e) {
    closePopovers(e.target.closest(POPOVERS));
  });
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape") return;
    var open = document.querySelector(POPOVERS.replace(/, /g, "[open], ") + "[open]");
    if (!open) return;
    closePopovers(null);
    var summary = open.querySelector("summary");
    if (summary) summary.focus();
  });
  document.addEventListener("toggle", function (e) {
    var d = e.target;
    if (d.open && d.matches && d.matches(POPOVERS)) {
      var panel = d.querySelector("summary + *");
      if (panel) panel.scrollIntoView({ block: "nearest" });
    }
  }, true);

  // A button that copies a field's value: data-copy="<selector of the field>".
  function copyField(button) {
    var field = document.querySelector(button.getAttribute("data-copy"));
    if (!field) return;
    var done = function () {
      var label = button.textContent;
      button.textContent = "Copied";
      setTimeout(function () { button.textContent = label; }, 1500);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, function () { field.select(); });
    } else {
      field.select();
      try { if (document.execCommand("copy")) done(); } catch (err) { /* selected: the reader copies */ }
    }
  }

  // Strips that scroll sideways (categories, boards) fade at the edge where
  // more is hidden, so it is plain there is more to scroll to.
  function markClipped(strip) {
    var hidden = strip.scrollWidth - strip.clientWidth - strip.scrollLeft;
    strip.classList.toggle("is-clipped-right", hidden > 1);
  }

  // Forms that destroy something ask first: data-confirm="<question>". One
  // listener for the page, so forms added later (htmx) ask too.
  document.addEventListener("submit", function (e) {
    var form = e.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) e.preventDefault();
  });

  // Messages after an action: dismissible. At the top of a page they sit above
  // the content and stay; a page that opens further down (at an #anchor, a
  // chat at its newest message) would leave them out of view, so there they
  // float under the top bar and all but errors fade after a while.
  function flashes() {
    var box = document.querySelector(".flash");
    if (!box) return;
    var floating = !!location.hash || !!document.querySelector(".chat-page");
    if (floating) box.classList.add("flash--float");
    box.querySelectorAll(".flash__item").forEach(function (item) {
      var close = function () {
        item.remove();
        if (!box.children.length) box.remove();
      };
      var button = item.querySelector("[data-flash-close]");
      if (button) button.addEventListener("click", close);
      if (floating && !item.classList.contains("flash__item--error")) setTimeout(close, 8000);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    flashes();
    var strips = document.querySelectorAll(".chips, .boards ul");
    strips.forEach(function (strip) {
      markClipped(strip);
      strip.addEventListener("scroll", function () { markClipped(strip); }, { passive: true });
    });
    window.addEventListener("resize", function () { strips.forEach(markClipped); });
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      button.addEventListener("click", function () { copyField(button); });
    });
    document.querySelectorAll("[data-native-share]").forEach(function (button) {
      if (!navigator.share) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.share({ title: document.title, url: button.getAttribute("data-native-share") })
          .catch(function () { /* dismissed */ });
      });
    });
    document.querySelectorAll("[data-select-on-focus]").forEach(function (el) {
      el.addEventListener("focus", function () { el.select(); });
    });
    var path = document.body.getAttribute("data-user-socket");
    if (path) connectUserSocket(path);
  });
})();
