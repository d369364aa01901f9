/*
 * 断点续传上传组件 — the browser side of /api/uploads. No build step, no framework.
 *
 * Markup: templates/records/uploader.html (include it; it loads this file and hash-wasm).
 * For every element with [data-uploader]:
 *   1. the chosen file is hashed (SHA-256) chunk by chunk with hash-wasm — a 2 GB video is
 *      never held in memory;
 *   2. an upload session is opened (POST), or the one saved for the same file resumed;
 *   3. the file is sent in chunks (PUT with Upload-Offset); a failed request is retried
 *      with exponential back-off, always from the offset the server reports, so a broken
 *      connection costs at most one chunk;
 *   4. when the server has checked the digest, the element's hidden input gets the stored
 *      file's SHA-256 and a "sanxiang:uploaded" event bubbles up with
 *      detail {sha256, size, mediaType, filename, uploadId}.
 * A refusal (wrong type, digest mismatch, …) ends with "sanxiang:upload-failed" and the
 * server's message.
 *
 * Options (data- attributes on the [data-uploader] element): endpoint (default
 * /api/uploads), chunk-size (bytes; default: what the server suggests), max-retries
 * (default 8), retry-delay (ms, default 1000; doubles up to 30 s).
 */
(function () {
  "use strict";

  if (window.SanxiangUploader) {
    return; // the include appears more than once on the page
  }

  var HASH_SLICE = 8 * 1024 * 1024;
  var MAX_DELAY = 30000;
  var STORAGE_PREFIX = "sanxiang-upload:";

  function formatBytes(n) {
    if (n >= 1073741824) return (n / 1073741824).toFixed(2) + " GB";
    if (n >= 1048576) return (n / 1048576).toFixed(1) + " MB";
    if (n >= 1024) return (n / 1024).toFixed(1) + " KB";
    return n + " 字节";
  }

  function sleep(ms, signal) {
    return new Promise(function (resolve, reject) {
      var timer = setTimeout(resolve, ms);
      if (signal) {
        signal.addEventListener("abort", function () {
          clearTimeout(timer);
          reject(new UploadError("已取消上传。", true));
        });
      }
    });
  }

  function UploadError(message, fatal) {
    this.name = "UploadError";
    this.message = message;
    this.fatal = !!fatal;
  }
  UploadError.prototype = Object.create(Error.prototype);

  function Uploader(root) {
    this.root = root;
    this.input = root.querySelector("input[type=file]");
    this.result = root.querySelector("[data-upload-result]");
    this.progress = root.querySelector("progress");
    this.statusLine = root.querySelector("[data-upload-status]");
    this.cancelButton = root.querySelector("[data-upload-cancel]");
    this.endpoint = (root.dataset.endpoint || "/api/uploads").replace(/\/$/, "");
    this.chunkOverride = parseInt(root.dataset.chunkSize || "0", 10) || 0;
    this.maxRetries = parseInt(root.dataset.maxRetries || "8", 10);
    this.retryDelay = parseInt(root.dataset.retryDelay || "1000", 10);
    var token = root.querySelector("input[name=csrfmiddlewaretoken]");
    this.csrfToken = root.dataset.csrfToken || (token ? token.value : "");
    this.controller = null;
    var self = this;
    if (this.input) {
      this.input.addEventListener("change", function () {
        if (self.input.files && self.input.files[0]) {
          self.start(self.input.files[0]);
        }
      });
    }
    if (this.cancelButton) {
      this.cancelButton.addEventListener("click", function () {
        self.cancel();
      });
    }
  }

  Uploader.prototype.show = function (text, kind) {
    if (this.statusLine) {
      this.statusLine.textContent = text;
      this.statusLine.className = "notice notice-" + (kind || "info");
      this.statusLine.hidden = false;
    }
    this.root.dataset.state = kind || "info";
  };

  Uploader.prototype.setProgress = function (done, total) {
    if (this.progress) {
      this.progress.max = total || 1;
      this.progress.value = done;
      this.progress.hidden = false;
    }
  };

  Uploader.prototype.headers = function (extra) {
    var headers = { Accept: "application/json" };
    if (this.csrfToken) headers["X-CSRFToken"] = this.csrfToken;
    for (var key in extra || {}) headers[key] = extra[key];
    return headers;
  };

  Uploader.prototype.request = function (method, url, body, extraHeaders) {
    return fetch(url, {
      method: method,
      headers: this.headers(extraHeaders),
      body: body,
      credentials: "same-origin",
      cache: "no-store",
      signal: this.controller ? this.controller.signal : undefined,
    });
  };

  function errorMessage(response, body) {
    if (body && body.error && body.error.message) return body.error.message;
    return "服务器返回错误（HTTP " + response.status + "）。";
  }

  async function readJson(response) {
    try {
      return await response.json();
    } catch (e) {
      return null;
    }
  }

  Uploader.prototype.hash = async function (file) {
    if (!window.hashwasm || !window.hashwasm.createSHA256) {
      throw new UploadError("无法计算文件校验值：浏览器未加载 SHA-256 组件。", true);
    }
    var hasher = await window.hashwasm.createSHA256();
    hasher.init();
    for (var offset = 0; offset < file.size; offset += HASH_SLICE) {
      if (this.controller.signal.aborted) throw new UploadError("已取消上传。", true);
      var slice = file.slice(offset, Math.min(offset + HASH_SLICE, file.size));
      hasher.update(new Uint8Array(await slice.arrayBuffer()));
      var done = Math.min(offset + HASH_SLICE, file.size);
      this.setProgress(done, file.size);
      this.show(
        "正在计算文件校验值（SHA-256）：" + Math.floor((done / file.size) * 100) + "%",
        "info"
      );
    }
    return hasher.digest("hex");
  };

  Uploader.prototype.status = async function (id) {
    var response = await this.request("GET", this.endpoint + "/" + id);
    var body = await readJson(response);
    if (!response.ok) {
      var fatal = response.status >= 400 && response.status < 500;
      throw new UploadError(errorMessage(response, body), fatal);
    }
    return body;
  };

  Uploader.prototype.openSession = async function (file, sha256) {
    var key = STORAGE_PREFIX + sha256 + ":" + file.size;
    var saved = null;
    try {
      saved = window.localStorage.getItem(key);
    } catch (e) {
      saved = null;
    }
    if (saved) {
      try {
        var existing = await this.status(saved);
        if (existing.status === "open" || existing.status === "complete") {
          return existing;
        }
      } catch (e) {
        /* gone or not ours any more: start afresh */
      }
    }
    var response = await this.request(
      "POST",
      this.endpoint,
      JSON.stringify({
        filename: file.name,
        size: file.size,
        sha256: sha256,
        media_type: file.type || "",
      }),
      { "Content-Type": "application/json" }
    );
    var body = await readJson(response);
    if (response.status !== 201) {
      throw new UploadError(errorMessage(response, body), true);
    }
    try {
      window.localStorage.setItem(key, body.id);
    } catch (e) {
      /* private mode: resuming after a reload is not possible, the rest works */
    }
    this.storageKey = key;
    return body;
  };

  /* One chunk, with retries. Returns the session as the server sees it afterwards: the
   * caller continues from its offset, whatever happened to this request. */
  Uploader.prototype.sendChunk = async function (file, session, chunkSize) {
    var offset = session.offset;
    var attempt = 0;
    for (;;) {
      var end = Math.min(offset + chunkSize, file.size);
      var response = null;
      var body = null;
      try {
        response = await this.request(
          "PUT",
          this.endpoint + "/" + session.id,
          file.slice(offset, end),
          { "Content-Type": "application/octet-stream", "Upload-Offset": String(offset) }
        );
        body = await readJson(response);
      } catch (e) {
        if (this.controller.signal.aborted) throw new UploadError("已取消上传。", true);
        response = null; // network failure: retry below
      }
      if (response && response.ok) {
        return body;
      }
      if (response && response.status !== 409 && response.status !== 400 &&
          response.status !== 429 && response.status < 500) {
        throw new UploadError(errorMessage(response, body), true);
      }
      attempt += 1;
      if (attempt > this.maxRetries) {
        throw new UploadError(
          "网络连接不稳定，已重试 " + this.maxRetries + " 次仍未成功。请检查网络后重新选择文件，" +
            "已上传的部分会自动续传。",
          false
        );
      }
      var delay = Math.min(this.retryDelay * Math.pow(2, attempt - 1), MAX_DELAY);
      this.show(
        "连接中断，" + Math.round(delay / 1000) + " 秒后从断点继续上传（第 " + attempt + " 次重试）……",
        "warn"
      );
      await sleep(delay, this.controller.signal);
      try {
        var current = await this.status(session.id);
        if (current.status !== "open" || current.offset !== offset) {
          return current;
        }
      } catch (e) {
        if (e.fatal) throw e;
        /* still offline: the next attempt will tell */
      }
    }
  };

  Uploader.prototype.start = async function (file) {
    if (this.controller) this.controller.abort();
    this.controller = new AbortController();
    if (this.result) this.result.value = "";
    if (this.cancelButton) this.cancelButton.hidden = false;
    this.root.dataset.state = "busy";
    try {
      var sha256 = await this.hash(file);
      this.show("正在建立上传……", "info");
      var session = await this.openSession(file, sha256);
      this.session = session;
      var chunkSize = this.chunkOverride || session.chunk_size;
      chunkSize = Math.min(chunkSize, session.max_chunk_size || chunkSize);
      while (session.status === "open") {
        this.setProgress(session.offset, file.size);
        this.show(
          "正在上传：" + formatBytes(session.offset) + " / " + formatBytes(file.size) +
            "（" + Math.floor((session.offset / file.size) * 100) + "%）",
          "info"
        );
        session = await this.sendChunk(file, session, chunkSize);
        this.session = session;
      }
      if (session.status !== "complete") {
        throw new UploadError(session.failure || "上传未完成（" + session.status_label + "）。", true);
      }
      this.finish(file, session);
    } catch (e) {
      this.fail(e instanceof UploadError ? e : new UploadError("上传失败：" + e.message, false));
    } finally {
      if (this.cancelButton) this.cancelButton.hidden = true;
      this.controller = null;
    }
  };

  Uploader.prototype.finish = function (file, session) {
    try {
      if (this.storageKey) window.localStorage.removeItem(this.storageKey);
    } catch (e) {
      /* ignore */
    }
    var stored = session.stored_file;
    this.setProgress(file.size, file.size);
    if (this.result) this.result.value = stored.sha256;
    this.root.dataset.sha256 = stored.sha256;
    this.show(
      "上传完成，文件已校验入库：" + session.filename + "（" + formatBytes(stored.size) +
        "，SHA-256 " + stored.sha256 + "）",
      "ok"
    );
    this.root.dispatchEvent(
      new CustomEvent("sanxiang:uploaded", {
        bubbles: true,
        detail: {
          sha256: stored.sha256,
          size: stored.size,
          mediaType: stored.media_type,
          filename: session.filename,
          uploadId: session.id,
        },
      })
    );
  };

  Uploader.prototype.fail = function (error) {
    if (this.progress) this.progress.hidden = true;
    this.show(error.message, "bad");
    this.root.dispatchEvent(
      new CustomEvent("sanxiang:upload-failed", {
        bubbles: true,
        detail: { message: error.message, fatal: error.fatal },
      })
    );
  };

  Uploader.prototype.cancel = function () {
    var session = this.session;
    if (this.controller) this.controller.abort();
    if (session && session.status === "open") {
      this.controller = null;
      this.request("DELETE", this.endpoint + "/" + session.id).catch(function () {});
      try {
        if (this.storageKey) window.localStorage.removeItem(this.storageKey);
      } catch (e) {
        /* ignore */
      }
    }
  };

  function attachAll(scope) {
    var roots = (scope || document).querySelectorAll("[data-uploader]");
    for (var i = 0; i < roots.length; i++) {
      if (!roots[i].sanxiangUploader) {
        roots[i].sanxiangUploader = new Uploader(roots[i]);
      }
    }
  }

  window.SanxiangUploader = { Uploader: Uploader, attachAll: attachAll };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      attachAll(document);
    });
  } else {
    attachAll(document);
  }
})();
