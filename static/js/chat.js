// The chat pane: history, streaming replies over the conversation socket, swipes,
// ratings, edit/delete/rewind, automatic reconnect with resume. Protocol: docs/chat.md.
// Streaming text is shown as plain text; a finished reply is replaced by the
// server's sanitised HTML (markdown-it-py + nh3) from its message.updated frame.
(function () {
  "use strict";

  var LIVE = { pending: true, streaming: true };
  // Finished alternatives, the only ones that can be rated.
  var RATEABLE = { complete: true, stopped: true };
  var PAGE = 100; // messages the page loads at first and per "Load older"

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
    this.errorBox = root.querySelector("[data-error-box]");
    this.olderBtn = root.querySelector("[data-older]");
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
    // The send waiting for the server's answer: {client_id, text}. Its text
    // stays in the composer until its message.created comes back, so a
    // refused send (busy, a quota, a send queued offline) keeps it.
    this.pending = null;
    this.draftKey = "kindred:draft:" + root.getAttribute("data-conversation");
    // Whether the view follows the newest text: measured when the reader
    // scrolls, not after a message has grown (a tall one would look like
    // the reader had scrolled away).
    this.following = true;
    this.pinnedHeight = null; // the page's height when the view last followed
    this.bind();
    this.restoreDraft();
    this.loadHistory();
    // Ready to type (with a keyboard; a phone's would cover half the chat).
    if (this.input && window.matchMedia && window.matchMedia("(pointer: fine)").matches) {
      this.input.focus({ preventScroll: true });
    }
  }

  Chat.prototype.setStatus = function (text) {
    if (this.statusEl) this.statusEl.textContent = text;
  };

  // Errors sit just above the composer, which stays on screen (the foot is
  // sticky), and stay until dismissed or resolved (a send goes through):
  // most ask the reader to do something (wait, stop the reply, upgrade).
  Chat.prototype.showError = function (text) {
    this.errorEl.textContent = text;
    this.errorBox.hidden = false;
  };

  Chat.prototype.clearError = function () {
    this.errorBox.hidden = true;
    this.errorEl.textContent = "";
  };

  Chat.prototype.loadHistory = function () {
    var self = this;
    this.fetchPage("?limit=" + PAGE).then(function (data) {
      self.log.textContent = "";
      data.results.forEach(function (m) { self.upsert(m); });
      self.showOlder(data);
      self.scroll(true);
      self.connect();
    }).catch(function () {
      self.setStatus("Could not load the history; retrying…");
      setTimeout(function () { self.loadHistory(); }, 3000);
    });
  };

  Chat.prototype.fetchPage = function (query) {
    return fetch(this.root.getAttribute("data-history") + query, {
      credentials: "same-origin", headers: { Accept: "application/json" }
    }).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    });
  };

  Chat.prototype.showOlder = function (data) {
    if (this.olderBtn) this.olderBtn.hidden = !data.previous_before_seq;
  };

  // Older history comes a page at a time over HTTP, never over the socket
  // (resuming covers only what the page holds): the view keeps its place.
  Chat.prototype.loadOlder = function () {
    var self = this, first = this.firstSeq();
    if (first === null || this.olderBtn.disabled) return;
    this.olderBtn.disabled = true;
    this.fetchPage("?limit=" + PAGE + "&before_seq=" + first).then(function (data) {
      var height = document.body.scrollHeight, top = window.scrollY;
      data.results.forEach(function (m) { if (!self.messages[m.id]) self.upsert(m); });
      window.scrollTo(0, top + document.body.scrollHeight - height);
      self.olderBtn.disabled = false;
      self.showOlder(data);
    }).catch(function () {
      self.olderBtn.disabled = false;
      self.showError("Could not load older messages. Try again.");
    });
  };

  Chat.prototype.firstSeq = function () {
    return this.order.length ? this.messages[this.order[0]].seq : null;
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
      socket.send(JSON.stringify(self.resumeFrame()));
      var queued = self.outbox; self.outbox = [];
      queued.forEach(function (f) { self.send(f); });
      // A send whose answer the closed socket may have lost goes again: the
      // server knows its client_id and answers with the message it saved.
      if (self.pending) socket.send(JSON.stringify(self.sendFrame()));
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

  // The digest need only cover what this page holds (from its oldest
  // message): older history is paged over HTTP.
  Chat.prototype.resumeFrame = function (afterSeq) {
    var frame = { type: "resume", after_seq: afterSeq === undefined ? this.resumeSeq() : afterSeq };
    var first = this.firstSeq();
    if (first !== null) frame.from_seq = Math.min(first, frame.after_seq + 1);
    return frame;
  };

  Chat.prototype.sendFrame = function () {
    return { type: "message.send", client_id: this.pending.client_id, text: this.pending.text };
  };

  Chat.prototype.send = function (frame) {
    if (this.socket && this.socket.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify(frame));
    } else if (frame.type === "message.send") {
      // Kept as this.pending, sent again when the socket opens.
      this.setStatus("Offline — your message goes when the connection is back.");
    } else {
      this.outbox.push(frame); // sent on reconnect; message.send is idempotent by client_id
    }
  };

  Chat.prototype.handle = function (f) {
    switch (f.type) {
      case "message.created":
        this.accepted(f.message);
        this.upsert(f.message); this.scroll(); break;
      case "message.updated":
        this.upsert(f.message); this.scroll(); break;
      case "reply.delta": this.delta(f); break;
      case "reply.done": this.done(f); break;
      case "message.deleted": this.remove(f.message_ids); break;
      case "resume.done": this.reconcile(f); break;
      case "error": this.refused(f); this.showError(f.message); break;
      default: break;
    }
    this.updateLive();
  };

  // --- Sending and drafts -----------------------------------------------------------

  // The server saved our message: the composer lets go of its text (unless
  // the reader typed something else meanwhile) and the draft is done.
  Chat.prototype.accepted = function (m) {
    if (!this.pending || !m.client_id || m.client_id !== this.pending.client_id) return;
    var text = this.pending.text;
    this.pending = null;
    this.composing(false);
    this.clearError();
    if (this.input && this.input.value.trim() === text) {
      this.input.value = "";
      this.autosize();
    }
    this.saveDraft();
  };

  // A refused send (busy, a quota, a character gone): its text is still in
  // the composer; it can be sent again once the reason is resolved. Frames
  // are answered in order and only one send is out at a time, so an error
  // about a send is about this one.
  Chat.prototype.refused = function (f) {
    if (!this.pending || (f.frame && f.frame !== "message.send")) return;
    if (f.client_id && f.client_id !== this.pending.client_id) return; // echoed by the server
    var text = this.pending.text;
    this.pending = null;
    this.composing(false);
    if (this.input && !this.input.value.trim()) { this.input.value = text; this.autosize(); }
    this.saveDraft();
  };

  Chat.prototype.composing = function (sending) {
    var send = this.form && this.form.querySelector("[data-send]");
    if (send) send.textContent = sending ? "Sending…" : "Send";
    if (this.form) this.form.classList.toggle("is-sending", sending);
  };

  // The composer's text is kept per conversation for this tab's session, so
  // a reload (switching persona, renaming) does not lose it.
  Chat.prototype.saveDraft = function () {
    if (!this.input) return;
    try {
      if (this.input.value) sessionStorage.setItem(this.draftKey, this.input.value);
      else sessionStorage.removeItem(this.draftKey);
    } catch (e) { /* storage full or off: the draft lives in the page only */ }
  };

  Chat.prototype.restoreDraft = function () {
    if (!this.input || this.input.value) return;
    var draft = null;
    try { draft = sessionStorage.getItem(this.draftKey); } catch (e) { /* off */ }
    if (draft) { this.input.value = draft; this.autosize(); }
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
    this.renderPrompt(m);
  };

  // A reply's state decides whether the message it answers can be edited.
  Chat.prototype.renderPrompt = function (reply) {
    if (reply.author === "user") return;
    var before = this.messages[this.order[this.order.indexOf(reply.id) - 1]];
    if (before && before.author === "user" && this.node(before.id) && !this.node(before.id).querySelector(".msg__edit")) {
      this.render(before);
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
      this.send(this.resumeFrame());
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
    this.renderPrompt(m);
  };

  // After a resume: what changed or went away among the messages this page
  // already had (edits, swipes, ratings, deletions made elsewhere meanwhile).
  // Gone ones are removed; from the oldest changed one on, ask again.
  // Only the messages the page holds count: history older than its oldest
  // message was never loaded (it is paged over HTTP), so a digest row for it
  // is not "missing here" and must not send the whole chat again.
  Chat.prototype.reconcile = function (f) {
    if (!f.digest) return;
    var self = this, server = {}, gone = [], stale = null;
    var first = this.firstSeq();
    if (first === null) return;
    // What the digest covers: from the from_seq the server names, else from
    // its oldest row (a message at the very edge that went away is then
    // not noticed; one inside it is).
    var from = typeof f.from_seq === "number" ? f.from_seq : Infinity;
    f.digest.forEach(function (row) {
      server[row[0]] = row;
      if (typeof f.from_seq !== "number" && row[1] < from) from = row[1];
    });
    this.order.forEach(function (id) {
      var m = self.messages[id];
      if (!m || m.seq > f.after_seq || m.seq < from) return;
      var row = server[id];
      if (!row) gone.push(id);
      else if (row[2] !== m.rev && (stale === null || m.seq < stale)) stale = m.seq;
    });
    f.digest.forEach(function (row) {
      if (row[1] >= first && !self.messages[row[0]] && (stale === null || row[1] < stale)) stale = row[1];
    });
    if (gone.length) this.remove(gone);
    if (stale !== null && stale - 1 < f.after_seq) {
      this.send(this.resumeFrame(stale - 1));
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
    text.dir = "auto"; // right-to-left text reads right to left
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
      if (RATEABLE[a.status] && !m.is_greeting) {
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
      // Not while its reply is being written: the reply answers this text.
      var replying = this.replyLive(m);
      var edit = button("Edit", "edit", replying ? "Wait for the reply to finish (or stop it) to edit" : "Edit your message");
      edit.disabled = replying;
      tools.appendChild(edit);
      tools.appendChild(button("Delete", "delete", "Delete this message"));
    }
    if (!isLast && !live) tools.appendChild(button("Rewind", "rewind", "Delete everything after this message"));
    return tools;
  };

  // The message after m (its reply) is still being written.
  Chat.prototype.replyLive = function (m) {
    var next = this.messages[this.order[this.order.indexOf(m.id) + 1]];
    return !!next && next.author !== "user" && next.alternatives.some(function (a) { return LIVE[a.status]; });
  };

  Chat.prototype.scroll = function (force) {
    // A reader who scrolled up since the view last followed stops it now,
    // even if the scroll event telling so has not been handled yet.
    if (!force && this.following && this.pinnedHeight !== null &&
        window.innerHeight + window.scrollY < Math.min(this.pinnedHeight, document.body.scrollHeight) - 80) {
      this.following = false;
    }
    if (force || this.following) {
      window.scrollTo(0, document.body.scrollHeight);
      this.pinnedHeight = document.body.scrollHeight;
    }
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
    area.value = a.text; area.maxLength = 4000; area.rows = 3; area.dir = "auto";
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
      // Only for a finished reply (a live one cannot be regenerated yet).
      if (next && next === self.lastId() && self.messages[next].author === "character" && !self.replyLive(m)) {
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
        if (self.pending) return; // one at a time: its answer comes first
        self.following = true; // your own message and its reply come into view
        if (self.offer) self.offer.hidden = true;
        // The text stays in the composer until the server accepts it.
        self.pending = { client_id: uuid(), text: text };
        self.composing(true);
        self.send(self.sendFrame());
      });
      this.input.addEventListener("keydown", function (e) {
        if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
          e.preventDefault();
          self.form.requestSubmit();
        }
      });
      this.input.addEventListener("input", function () { self.autosize(); self.saveDraft(); });
    }
    if (this.errorBox) {
      this.errorBox.querySelector("[data-error-dismiss]").addEventListener("click", function () {
        self.clearError();
      });
    }
    if (this.olderBtn) {
      this.olderBtn.addEventListener("click", function () { self.loadOlder(); });
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
