// The chat pane: history, streaming replies over the conversation socket, swipes,
// ratings, edit/delete/rewind, automatic reconnect with resume. Protocol: docs/chat.md.
// Streaming text is shown as plain text; a finished reply is replaced by the
// server's sanitised HTML (markdown-it-py + nh3) from its message.updated frame.
(function () {
  "use strict";

  var LIVE = { pending: true, streaming: true };

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function button(label, action, title, cls) {
    var b = el("button", "msg__tool" + (cls ? " " + cls : ""), label);
    b.type = "button";
    b.setAttribute("data-action", action);
    if (title) { b.title = title; b.setAttribute("aria-label", title); }
    return b;
  }

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "c" + Date.now().toString(36) + Math.random().toString(36).slice(2);
  }

  function Chat(root) {
    this.root = root;
    this.log = root.querySelector("[data-log]");
    this.statusEl = root.querySelector("[data-status]");
    this.typing = root.querySelector("[data-typing]");
    this.errorEl = root.querySelector("[data-error]");
    this.offer = root.querySelector("[data-offer]");
    this.form = root.querySelector("[data-composer]");
    this.input = root.querySelector("[data-input]");
    this.stopBtn = root.querySelector("[data-stop]");
    this.readOnly = root.getAttribute("data-read-only") === "true";
    this.messages = {};   // id -> payload
    this.order = [];      // ids by seq
    this.lastSeq = 0;
    this.outbox = [];     // frames waiting for an open socket
    this.delay = 1000;
    this.socket = null;
    this.errorTimer = null;
    // Whether the view follows the newest text: measured when the reader
    // scrolls, not after a message has grown (a tall one would look like
    // the reader had scrolled away).
    this.following = true;
    this.bind();
    this.loadHistory();
    // Ready to type (with a keyboard; a phone's would cover half the chat).
    if (this.input && window.matchMedia && window.matchMedia("(pointer: fine)").matches) {
      this.input.focus({ preventScroll: true });
    }
  }

  Chat.prototype.setStatus = function (text) {
    if (this.statusEl) this.statusEl.textContent = text;
  };

  Chat.prototype.showError = function (text) {
    var self = this;
    this.errorEl.textContent = text;
    this.errorEl.hidden = false;
    clearTimeout(this.errorTimer);
    this.errorTimer = setTimeout(function () { self.errorEl.hidden = true; }, 8000);
  };

  Chat.prototype.loadHistory = function () {
    var self = this;
    fetch(this.root.getAttribute("data-history") + "?limit=100", {
      credentials: "same-origin", headers: { Accept: "application/json" }
    }).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    }).then(function (data) {
      self.log.textContent = "";
      data.results.forEach(function (m) { self.upsert(m); });
      self.scroll(true);
      self.connect();
    }).catch(function () {
      self.setStatus("Could not load the history; retrying…");
      setTimeout(function () { self.loadHistory(); }, 3000);
    });
  };

  // --- Socket --------------------------------------------------------------------

  Chat.prototype.connect = function () {
    var self = this;
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + location.host + this.root.getAttribute("data-socket"));
    this.socket = socket;
    socket.onopen = function () {
      self.delay = 1000;
      self.setStatus(self.readOnly ? "Read-only" : "Online");
      socket.send(JSON.stringify({ type: "resume", after_seq: self.resumeSeq() }));
      var pending = self.outbox; self.outbox = [];
      pending.forEach(function (f) { self.send(f); });
    };
    socket.onmessage = function (event) {
      var frame;
      try { frame = JSON.parse(event.data); } catch (e) { return; }
      self.handle(frame);
    };
    socket.onclose = function (event) {
      if (self.socket !== socket) return;
      self.socket = null;
      if (event.code === 4404 || event.code === 4401) {
        self.setStatus("This chat is not available.");
        return;
      }
      var wait = self.delay + Math.floor(Math.random() * 500);
      self.setStatus("Reconnecting in " + Math.round(wait / 1000) + " s…");
      setTimeout(function () { self.connect(); }, wait);
      self.delay = Math.min(self.delay * 2, 15000);
    };
  };

  // Resume from just before the oldest reply this page still shows as being
  // written: one that finished while the socket was down is sent again whole
  // (the server only re-sends earlier messages while they are still live).
  Chat.prototype.resumeSeq = function () {
    var self = this, seq = this.lastSeq;
    this.order.forEach(function (id) {
      var m = self.messages[id];
      var live = m && m.alternatives.some(function (a) { return LIVE[a.status]; });
      if (live && m.seq - 1 < seq) seq = m.seq - 1;
    });
    return seq;
  };

  Chat.prototype.send = function (frame) {
    if (this.socket && this.socket.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify(frame));
    } else {
      this.outbox.push(frame); // sent on reconnect; message.send is idempotent by client_id
    }
  };

  Chat.prototype.handle = function (f) {
    switch (f.type) {
      case "message.created":
      case "message.updated":
        this.upsert(f.message); this.scroll(); break;
      case "reply.delta": this.delta(f); break;
      case "reply.done": this.done(f); break;
      case "message.deleted": this.remove(f.message_ids); break;
      case "resume.done": this.reconcile(f); break;
      case "error": this.showError(f.message); break;
      default: break;
    }
    this.updateLive();
  };

  // --- State -----------------------------------------------------------------------

  Chat.prototype.upsert = function (m) {
    var known = this.messages[m.id];
    if (known) {
      // A snapshot never takes streamed text back.
      m.alternatives.forEach(function (a) {
        var old = known.alternatives.filter(function (o) { return o.index === a.index; })[0];
        if (old && LIVE[a.status] && old.text.length > a.text.length && old.text.indexOf(a.text) === 0) {
          a.text = old.text;
        }
      });
    }
    var previousLast = this.lastId();
    if (!known) {
      this.order.push(m.id);
      var msgs = this.messages;
      msgs[m.id] = m;
      this.order.sort(function (a, b) { return msgs[a].seq - msgs[b].seq; });
    }
    this.messages[m.id] = m;
    if (m.seq > this.lastSeq) this.lastSeq = m.seq;
    this.render(m);
    // The tools of the message that was last change (rewind, regenerate).
    if (previousLast !== null && previousLast !== this.lastId() && this.messages[previousLast]) {
      this.render(this.messages[previousLast]);
    }
  };

  Chat.prototype.alt = function (m, index) {
    return m.alternatives.filter(function (a) { return a.index === index; })[0];
  };

  Chat.prototype.delta = function (f) {
    var m = this.messages[f.message_id];
    if (!m) return;
    var a = this.alt(m, f.index);
    if (!a) { a = { index: f.index, text: "", status: "streaming" }; m.alternatives.push(a); }
    // A stop (or the end) overtook this delta: the final text is already here.
    if (a.status === "complete" || a.status === "stopped" || a.status === "failed") return;
    if (f.offset > a.text.length) { // a gap: ask for a fresh snapshot
      this.send({ type: "resume", after_seq: this.resumeSeq() });
      return;
    }
    a.text = a.text.slice(0, f.offset) + f.text;
    a.status = "streaming";
    delete a.html;
    if (m.selected === f.index) {
      var node = this.node(m.id);
      var text = node && node.querySelector(".msg__text");
      if (text) { text.textContent = a.text; text.classList.add("is-plain"); }
      else this.render(m);
    }
    this.scroll();
  };

  Chat.prototype.done = function (f) {
    var m = this.messages[f.message_id];
    if (!m) return;
    var a = this.alt(m, f.index);
    if (a) { a.status = f.status; a.error = f.error; a.finish_reason = f.finish_reason; }
    this.render(m);
  };

  // After a resume: what changed or went away among the messages this page
  // already had (edits, swipes, ratings, deletions made elsewhere meanwhile).
  // Gone ones are removed; from the oldest changed one on, ask again.
  Chat.prototype.reconcile = function (f) {
    if (!f.digest) return;
    var self = this, server = {}, gone = [], stale = null;
    f.digest.forEach(function (row) { server[row[0]] = row; });
    this.order.forEach(function (id) {
      var m = self.messages[id];
      if (!m || m.seq > f.after_seq) return;
      var row = server[id];
      if (!row) gone.push(id);
      else if (row[2] !== m.rev && (stale === null || m.seq < stale)) stale = m.seq;
    });
    f.digest.forEach(function (row) {
      if (!self.messages[row[0]] && (stale === null || row[1] < stale)) stale = row[1];
    });
    if (gone.length) this.remove(gone);
    if (stale !== null && stale - 1 < f.after_seq) {
      this.send({ type: "resume", after_seq: stale - 1 });
    }
  };

  Chat.prototype.remove = function (ids) {
    var self = this;
    ids.forEach(function (id) {
      delete self.messages[id];
      var node = self.node(id);
      if (node) node.remove();
    });
    this.order = this.order.filter(function (id) { return self.messages[id]; });
    var last = this.lastId();
    if (last !== null) this.render(this.messages[last]);
  };

  Chat.prototype.liveMessage = function () {
    for (var i = this.order.length - 1; i >= 0; i--) {
      var m = this.messages[this.order[i]];
      if (m.alternatives.some(function (a) { return LIVE[a.status]; })) return m;
    }
    return null;
  };

  Chat.prototype.updateLive = function () {
    var live = this.liveMessage();
    var waiting = live && live.alternatives.some(function (a) { return a.status === "pending" || (a.status === "streaming" && !a.text); });
    this.typing.hidden = !waiting;
    if (this.stopBtn) this.stopBtn.hidden = !live;
  };

  Chat.prototype.lastId = function () {
    return this.order.length ? this.order[this.order.length - 1] : null;
  };

  // --- Rendering -------------------------------------------------------------------

  Chat.prototype.node = function (id) {
    return this.log.querySelector('[data-message-id="' + id + '"]');
  };

  Chat.prototype.render = function (m) {
    var empty = this.log.querySelector("[data-empty]");
    if (empty) empty.remove();
    var a = this.alt(m, m.selected) || m.alternatives[0] || { text: "", status: "complete", index: 0 };
    var art = el("article", "msg msg--" + m.author + (LIVE[a.status] ? " is-live" : ""));
    art.setAttribute("data-message-id", m.id);
    art.setAttribute("data-seq", m.seq);
    var bubble = el("div", "msg__bubble");
    bubble.appendChild(el("div", "msg__name", m.name));
    var text = el("div", "msg__text md");
    if (a.html !== undefined && !LIVE[a.status]) {
      text.innerHTML = a.html; // sanitised on the server (nh3)
    } else {
      text.textContent = a.text;
      text.classList.add("is-plain");
    }
    bubble.appendChild(text);
    if (a.status === "failed") bubble.appendChild(el("p", "msg__error", a.error || "The reply failed."));
    if (a.status === "stopped") bubble.appendChild(el("p", "msg__note muted", "Stopped."));
    if (a.finish_reason === "length") bubble.appendChild(el("p", "msg__note muted", "Cut off at the length limit."));
    if (!this.readOnly) bubble.appendChild(this.tools(m, a));
    art.appendChild(bubble);
    var old = this.node(m.id);
    if (old) {
      // Keep a keyboard user's place: the redrawn message's matching tool
      // (the same action, the same star) takes the focus back.
      var focused = old.contains(document.activeElement) ? document.activeElement : null;
      old.replaceWith(art);
      if (focused && focused.getAttribute("data-action")) {
        var sel = '[data-action="' + focused.getAttribute("data-action") + '"]';
        if (focused.getAttribute("data-stars")) sel += '[data-stars="' + focused.getAttribute("data-stars") + '"]';
        var again = art.querySelector(sel);
        if (again && !again.disabled) again.focus();
        else if (focused.getAttribute("data-action") !== "edit") (art.querySelector(".msg__tool:not([disabled])") || art).focus();
      }
      return;
    }
    var next = null;
    for (var i = 0; i < this.order.length; i++) {
      var other = this.messages[this.order[i]];
      if (other.seq > m.seq) { next = this.node(other.id); if (next) break; }
    }
    this.log.insertBefore(art, next);
  };

  Chat.prototype.tools = function (m, a) {
    var tools = el("div", "msg__tools");
    var isLast = this.lastId() === m.id;
    var live = LIVE[a.status];
    if (m.author === "character") {
      var count = m.alternatives.length;
      if (count > 1 || (isLast && !m.is_greeting)) {
        var swipe = el("span", "msg__swipe");
        var prev = button("‹", "prev", "Previous reply (N)");
        prev.disabled = m.selected === 0;
        swipe.appendChild(prev);
        swipe.appendChild(el("span", "msg__count", (m.selected + 1) + "/" + count));
        var nxt = button("›", "next", m.selected < count - 1 ? "Next reply (n)" : "New reply (n)");
        nxt.disabled = live || (m.selected >= count - 1 && (!isLast || m.is_greeting));
        swipe.appendChild(nxt);
        tools.appendChild(swipe);
      }
      if (!live && !m.is_greeting) {
        var stars = el("span", "msg__stars");
        stars.setAttribute("role", "group");
        stars.setAttribute("aria-label", "Rate this reply");
        for (var s = 1; s <= 4; s++) {
          var star = button(a.stars && s <= a.stars ? "★" : "☆", "rate", s + " star" + (s > 1 ? "s" : ""), a.stars && s <= a.stars ? "is-on" : "");
          star.setAttribute("data-stars", s);
          star.setAttribute("aria-pressed", a.stars === s ? "true" : "false");
          stars.appendChild(star);
        }
        tools.appendChild(stars);
        if (a.stars) tools.appendChild(button(a.feedback ? "Feedback ✓" : "Feedback", "feedback", "Tell the creator why"));
      }
      if (isLast && !m.is_greeting && !live) {
        tools.appendChild(button(a.status === "failed" ? "Retry" : "↻", "regenerate", a.status === "failed" ? "Retry" : "Regenerate", a.status === "failed" ? "is-retry" : ""));
      }
    } else if (m.author === "user" && !live) {
      tools.appendChild(button("Edit", "edit", "Edit your message"));
      tools.appendChild(button("Delete", "delete", "Delete this message"));
    }
    if (!isLast && !live) tools.appendChild(button("Rewind", "rewind", "Delete everything after this message"));
    return tools;
  };

  Chat.prototype.scroll = function (force) {
    if (force || this.following) window.scrollTo(0, document.body.scrollHeight);
  };

  // --- Actions ---------------------------------------------------------------------

  Chat.prototype.swipe = function (m, step) {
    var target = m.selected + step;
    if (target < 0) return;
    if (target >= m.alternatives.length) {
      if (this.lastId() === m.id && !m.is_greeting) this.send({ type: "reply.regenerate", message_id: m.id });
      return;
    }
    this.send({ type: "reply.select", message_id: m.id, index: target });
  };

  Chat.prototype.edit = function (m, node) {
    var self = this;
    var a = this.alt(m, 0);
    var text = node.querySelector(".msg__text");
    var box = el("form", "msg__edit");
    var area = el("textarea");
    area.value = a.text; area.maxLength = 4000; area.rows = 3;
    var save = el("button", "btn btn--primary btn--sm", "Save"); save.type = "submit";
    var cancel = el("button", "btn btn--ghost btn--sm", "Cancel"); cancel.type = "button";
    box.appendChild(area); box.appendChild(save); box.appendChild(cancel);
    text.replaceWith(box);
    var tools = node.querySelector(".msg__tools");
    if (tools) tools.hidden = true; // Save and Cancel are the actions now
    area.focus();
    cancel.addEventListener("click", function () { self.render(m); });
    box.addEventListener("submit", function (e) {
      e.preventDefault();
      if (!area.value.trim()) {
        self.showError("A message cannot be empty. To remove it, use Delete.");
        area.focus();
        return;
      }
      self.send({ type: "message.edit", message_id: m.id, text: area.value });
      // The reply right after it (the chat's last) answered the old text:
      // offer a new one; the old stays as a swipe.
      var next = self.order[self.order.indexOf(m.id) + 1];
      if (next && next === self.lastId() && self.messages[next].author === "character") {
        self.offerRegenerate(next);
      }
    });
  };

  Chat.prototype.offerRegenerate = function (replyId) {
    var self = this;
    if (!this.offer) return;
    this.offer.hidden = false;
    this.offer.querySelector("[data-offer-regenerate]").onclick = function () {
      self.offer.hidden = true;
      if (self.lastId() === replyId) self.send({ type: "reply.regenerate", message_id: replyId });
    };
    this.offer.querySelector("[data-offer-dismiss]").onclick = function () { self.offer.hidden = true; };
  };

  Chat.prototype.feedback = function (m, a, node) {
    var self = this;
    var box = el("form", "msg__edit");
    var area = el("textarea");
    area.value = a.feedback || ""; area.maxLength = 1000; area.rows = 2;
    area.placeholder = "What was good or bad about this reply?";
    var save = el("button", "btn btn--primary btn--sm", "Send feedback"); save.type = "submit";
    box.appendChild(area); box.appendChild(save);
    node.querySelector(".msg__bubble").appendChild(box);
    area.focus();
    box.addEventListener("submit", function (e) {
      e.preventDefault();
      self.send({ type: "reply.rate", message_id: m.id, index: a.index, stars: a.stars, feedback: area.value });
    });
  };

  Chat.prototype.bind = function () {
    var self = this;
    this.log.addEventListener("click", function (e) {
      var b = e.target.closest("[data-action]");
      if (!b) return;
      var node = b.closest("[data-message-id]");
      var m = self.messages[node.getAttribute("data-message-id")];
      if (!m) return;
      var a = self.alt(m, m.selected);
      switch (b.getAttribute("data-action")) {
        case "prev": self.swipe(m, -1); break;
        case "next": self.swipe(m, 1); break;
        case "regenerate": self.send({ type: "reply.regenerate", message_id: m.id }); break;
        case "rate": self.send({ type: "reply.rate", message_id: m.id, index: a.index, stars: Number(b.getAttribute("data-stars")) }); break;
        case "feedback": self.feedback(m, a, node); break;
        case "edit": self.edit(m, node); break;
        case "delete":
          if (confirm("Delete this message?")) self.send({ type: "message.delete", message_id: m.id });
          break;
        case "rewind":
          if (confirm("Delete every message after this one?")) self.send({ type: "message.rewind", message_id: m.id });
          break;
        default: break;
      }
    });
    window.addEventListener("scroll", function () {
      self.following = window.innerHeight + window.scrollY >= document.body.scrollHeight - 80;
    }, { passive: true });
    if (this.form) {
      this.form.addEventListener("submit", function (e) {
        e.preventDefault();
        var text = self.input.value.trim();
        if (!text) return;
        if (text.length > 4000) { self.showError("Messages are limited to 4,000 characters."); return; }
        self.following = true; // your own message and its reply come into view
        if (self.offer) self.offer.hidden = true;
        self.send({ type: "message.send", client_id: uuid(), text: text });
        self.input.value = "";
        self.autosize();
      });
      this.input.addEventListener("keydown", function (e) {
        if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
          e.preventDefault();
          self.form.requestSubmit();
        }
      });
      this.input.addEventListener("input", function () { self.autosize(); });
    }
    if (this.stopBtn) {
      this.stopBtn.addEventListener("click", function () {
        var live = self.liveMessage();
        if (live) self.send({ type: "generation.stop", message_id: live.id });
      });
    }
    document.addEventListener("keydown", function (e) {
      var t = e.target;
      if (t && (t.tagName === "TEXTAREA" || t.tagName === "INPUT" || t.tagName === "SELECT" || t.isContentEditable)) return;
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key !== "n" && e.key !== "N") return;
      var id = self.lastId();
      var m = id && self.messages[id];
      if (!m || m.author !== "character" || self.readOnly) return;
      e.preventDefault();
      self.swipe(m, e.key === "n" ? 1 : -1);
    });
  };

  Chat.prototype.autosize = function () {
    this.input.style.height = "auto";
    this.input.style.height = Math.min(this.input.scrollHeight, 200) + "px";
  };

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.getElementById("chat");
    if (root && window.WebSocket && window.fetch) window.chat = new Chat(root);
  });
})();
