// Progressive enhancement for the upload form: drag and drop, one request per
// file with a progress bar, and results read out to screen readers. Without
// this script the plain form still uploads every chosen file.
(function () {
  "use strict";
  var form = document.querySelector("[data-upload]");
  if (!form || !window.FormData || !window.XMLHttpRequest) { return; }
  var input = form.querySelector("input[type=file]");
  var zone = form.querySelector("[data-dropzone]");
  var status = document.getElementById("upload-status");
  var maxBytes = parseInt(form.getAttribute("data-max-bytes") || "0", 10);

  function el(tag, text) {
    var node = document.createElement(tag);
    if (text) { node.textContent = text; }
    return node;
  }

  function showRead(result, file, label) {
    label.textContent = "Read: " + file.name + ". ";
    var link = el("a", "Check " + file.name + " before saving");
    link.href = result.review_url;
    label.appendChild(link);
  }

  function waitRead(result, file, label, tries) {
    var xhr = new XMLHttpRequest();
    xhr.open("GET", result.status_url);
    xhr.onload = function () {
      var answer = null;
      try { answer = JSON.parse(xhr.responseText); } catch (err) { answer = null; }
      if (answer && answer.status === "ready") {
        showRead(result, file, label);
      } else if (answer && answer.status === "failed") {
        label.textContent = "Not read: " + answer.error;
      } else if (tries < 160) {
        window.setTimeout(function () { waitRead(result, file, label, tries + 1); }, 750);
      } else {
        label.textContent = "Still reading " + file.name + ". ";
        var link = el("a", "Open " + file.name + " to see how it is going");
        link.href = result.review_url;
        label.appendChild(link);
      }
    };
    xhr.onerror = function () {
      label.textContent = "Reading " + file.name + ". ";
      var link = el("a", "Open " + file.name);
      link.href = result.review_url;
      label.appendChild(link);
    };
    xhr.send();
  }

  function sendOne(file) {
    return new Promise(function (resolve) {
      var row = el("div");
      row.className = "panel";
      var label = el("p", "Uploading " + file.name);
      var bar = el("progress");
      bar.max = 100; bar.value = 0;
      bar.setAttribute("aria-label", "Upload progress for " + file.name);
      row.appendChild(label); row.appendChild(bar);
      status.appendChild(row);
      if (!/\.docx$/i.test(file.name)) {
        bar.remove();
        label.textContent = "Not uploaded: " + file.name + " is not a Word .docx file.";
        return resolve();
      }
      if (maxBytes && file.size > maxBytes) {
        bar.remove();
        label.textContent = "Not uploaded: " + file.name + " is over the size limit.";
        return resolve();
      }
      var data = new FormData();
      data.append("csrf_token", form.querySelector("[name=csrf_token]").value);
      data.append("body", form.querySelector("[name=body]").value);
      data.append("files", file, file.name);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.getAttribute("action") || window.location.href);
      xhr.setRequestHeader("X-Requested-With", "fetch");
      xhr.upload.onprogress = function (e) {
        if (e.lengthComputable) { bar.value = Math.round((e.loaded / e.total) * 100); }
      };
      xhr.upload.onload = function () { label.textContent = "Reading " + file.name + "…"; };
      xhr.onload = function () {
        bar.remove();
        var result = null;
        try { result = JSON.parse(xhr.responseText).results[0]; } catch (err) { result = null; }
        if (xhr.status === 413) {
          label.textContent = "Not uploaded: " + file.name + " is too big.";
        } else if (result && result.ok && result.status_url) {
          // Stored; a background job reads it. Ask until it is read (up to 2 minutes).
          label.textContent = "Reading " + file.name + "…";
          waitRead(result, file, label, 0);
        } else if (result && result.ok) {
          showRead(result, file, label);
        } else {
          label.textContent = "Not uploaded: " + (result ? result.message : "something went wrong; please try again.");
        }
        resolve();
      };
      xhr.onerror = function () {
        bar.remove();
        label.textContent = "Not uploaded: " + file.name + ". The connection failed; please try again.";
        resolve();
      };
      xhr.send(data);
    });
  }

  function sendAll(files) {
    status.textContent = "";
    var list = Array.prototype.slice.call(files);
    var chain = Promise.resolve();
    list.forEach(function (file) { chain = chain.then(function () { return sendOne(file); }); });
    return chain;
  }

  form.addEventListener("submit", function (e) {
    if (!input.files || !input.files.length) { return; }
    e.preventDefault();
    sendAll(input.files).then(function () { input.value = ""; });
  });
  ["dragenter", "dragover"].forEach(function (name) {
    zone.addEventListener(name, function (e) { e.preventDefault(); zone.classList.add("is-over"); });
  });
  ["dragleave", "drop"].forEach(function (name) {
    zone.addEventListener(name, function (e) { e.preventDefault(); zone.classList.remove("is-over"); });
  });
  zone.addEventListener("drop", function (e) {
    if (e.dataTransfer && e.dataTransfer.files.length) { sendAll(e.dataTransfer.files); }
  });
}());
