/* Applying online: keeps the e-form in localStorage too, uploads files with tus 1.0 in 256 KB chunks
   and resumes after a dropped connection (HEAD, then PATCH from the stored offset). No library. */
(function () {
  "use strict";
  var CHUNK = 256 * 1024, TUS = "1.0.0";
  var cfg = document.getElementById("apply-js");
  if (!cfg || !window.localStorage || !window.Promise) return;
  var msg = cfg.dataset;
  function store(k, v) { try { localStorage.setItem(k, JSON.stringify(v)); } catch (e) { /* full or private */ } }
  function load(k) { try { return JSON.parse(localStorage.getItem(k)); } catch (e) { return null; } }

  /* 1. The draft, kept in the browser as well as on the server. */
  var form = document.querySelector("form.apply[data-draft]");
  if (form) {
    var key = "motcua-draft-" + form.dataset.draft, saved = load(key);
    var fields = form.querySelectorAll("input[name],select[name],textarea[name]");
    if (saved && saved.t > +form.dataset.saved) {
      fields.forEach(function (el) {
        if (!(el.name in saved.v)) return;
        var v = saved.v[el.name];
        if (el.type === "checkbox") el.checked = !!v;
        else if (el.type === "radio") el.checked = el.value === v;
        else if (el.type !== "hidden") el.value = v;
      });
      var note = document.createElement("p");
      note.className = "messages"; note.textContent = msg.restored;
      form.parentNode.insertBefore(note, form);
    }
    var keep = function () {
      var v = {};
      fields.forEach(function (el) {
        if (el.type === "hidden") return;
        if (el.type === "checkbox") v[el.name] = el.checked;
        else if (el.type === "radio") { if (el.checked) v[el.name] = el.value; }
        else v[el.name] = el.value;
      });
      store(key, { t: Date.now() / 1000, v: v });
    };
    form.addEventListener("input", keep);
    form.addEventListener("change", keep);
    form.addEventListener("submit", function () { store(key, { t: 0, v: {} }); });
  }
  var cleared = document.querySelector("[data-clear-draft]");
  if (cleared) localStorage.removeItem("motcua-draft-" + cleared.dataset.clearDraft);

  /* 2. One click, one submission; the browser's own submission key for this draft. */
  document.querySelectorAll("button[data-once]").forEach(function (b) {
    b.form.addEventListener("submit", function () { setTimeout(function () { b.disabled = true; }, 0); });
    var input = b.form.querySelector("input[name=submission_key]"), draft = document.querySelector("[data-draft-id]");
    if (input && draft) {
      var k = "motcua-key-" + draft.dataset.draftId, own = load(k);
      if (!own) { own = input.value; store(k, own); }
      input.value = own;
    }
  });

  /* 3. tus uploads. */
  function send(method, url, headers, body, progress) {
    return new Promise(function (ok, fail) {
      var x = new XMLHttpRequest();
      x.open(method, url);
      x.setRequestHeader("Tus-Resumable", TUS);
      Object.keys(headers).forEach(function (h) { x.setRequestHeader(h, headers[h]); });
      if (progress && x.upload) x.upload.onprogress = progress;
      x.timeout = 120000;
      x.onload = function () { ok(x); };
      x.onerror = x.ontimeout = x.onabort = function () { fail(new Error("network")); };
      x.send(body || null);
    });
  }
  function check(x, want) {
    if (x.status === want) return;
    var e = new Error(x.responseText || "HTTP " + x.status);
    e.final = x.status < 500;  /* 4xx: a refusal to show; 5xx: try again later */
    throw e;
  }
  function b64(s) { return btoa(unescape(encodeURIComponent(s))); }

  function upload(f, file, show) {
    var comp = f.dataset.component, token = f.querySelector("[name=csrfmiddlewaretoken]").value;
    var key = "motcua-tus-" + [comp, file.name, file.size, file.lastModified].join("-");
    var url = load(key), offset = 0, delay = 1000;
    function create() {
      return send("POST", msg.tus, {
        "Upload-Length": file.size, "X-CSRFToken": token,
        "Upload-Metadata": "filename " + b64(file.name) + ",component " + b64(comp)
      }).then(function (x) {
        check(x, 201); url = x.getResponseHeader("Location"); offset = 0; store(key, url);
      });
    }
    function head() {
      return send("HEAD", url, {}).then(function (x) {
        if (x.status === 404) { localStorage.removeItem(key); return create(); }
        check(x, 200); offset = +x.getResponseHeader("Upload-Offset");
      });
    }
    function patch() {
      if (offset >= file.size) return Promise.resolve();
      var start = offset;
      return send("PATCH", url, {
        "Content-Type": "application/offset+octet-stream", "Upload-Offset": start, "X-CSRFToken": token
      }, file.slice(start, Math.min(start + CHUNK, file.size)), function (e) { show(start + e.loaded); })
        .then(function (x) {
          if (x.status === 409) return head().then(patch);
          check(x, 204); offset = +x.getResponseHeader("Upload-Offset"); delay = 1000; show(offset);
          return patch();
        });
    }
    function run() {
      return (url ? head() : create()).then(patch).catch(function (e) {
        if (e.final) { localStorage.removeItem(key); throw e; }
        show(offset, true);
        return new Promise(function (r) { setTimeout(r, delay); window.addEventListener("online", r, { once: true }); })
          .then(function () { delay = Math.min(delay * 2, 30000); return run(); });
      });
    }
    return run().then(function () { localStorage.removeItem(key); });
  }

  document.querySelectorAll("form.upload[data-component]").forEach(function (f) {
    var input = f.querySelector("input[type=file]"), out = f.querySelector(".progress");
    f.querySelector("button[type=submit]").hidden = true;
    input.multiple = true;
    input.addEventListener("change", function () {
      var files = Array.prototype.slice.call(input.files), total = 0, before = 0;
      if (!files.length) { out.textContent = msg.choose; return; }
      files.forEach(function (file) { total += file.size; });
      input.disabled = true;
      files.reduce(function (p, file) {
        return p.then(function () {
          return upload(f, file, function (n, waiting) {
            out.textContent = waiting ? msg.retry : msg.progress.replace("{p}", Math.floor(100 * (before + n) / total));
          }).then(function () { before += file.size; });
        });
      }, Promise.resolve()).then(function () {
        out.textContent = msg.done; location.reload();
      }, function (e) {
        out.textContent = e.message; out.className = "progress errorlist"; input.disabled = false; input.value = "";
      });
    });
  });
})();
