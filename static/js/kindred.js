// Kindred's small page script: the live unread badge. Pages that stream (chat)
// load their own script.
(function () {
  "use strict";

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
          badges.forEach(function (badge) {
            badge.textContent = data.unread > 99 ? "99+" : String(data.unread);
            badge.hidden = data.unread === 0;
          });
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

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-select-on-focus]").forEach(function (el) {
      el.addEventListener("focus", function () { el.select(); });
    });
    var path = document.body.getAttribute("data-user-socket");
    if (path) connectUserSocket(path);
  });
})();
