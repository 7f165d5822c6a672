/* Copy a paragraph's citation (the build writes it; the browser adds the URL). */
(function () {
  "use strict";

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    // Plain-HTTP and file:// pages: the old way still works.
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try {
        ok = document.execCommand("copy");
      } catch (e) {
        ok = false;
      }
      document.body.removeChild(area);
      if (ok) {
        resolve();
      } else {
        reject(new Error("copy failed"));
      }
    });
  }

  var status = null;
  function announce(message) {
    if (!status) {
      status = document.createElement("div");
      status.className = "reader-status";
      status.setAttribute("role", "status");
      status.setAttribute("aria-live", "polite");
      document.body.appendChild(status);
    }
    status.textContent = message;
    status.classList.add("reader-status-visible");
    window.clearTimeout(announce.timer);
    announce.timer = window.setTimeout(function () {
      status.classList.remove("reader-status-visible");
    }, 2200);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button.reader-cite");
    if (!button) {
      return;
    }
    var url = window.location.origin + window.location.pathname + "#" + button.dataset.anchor;
    var text = button.dataset.cite.split("{url}").join(url);
    copyText(text).then(
      function () {
        button.classList.add("reader-cite-done");
        window.setTimeout(function () {
          button.classList.remove("reader-cite-done");
        }, 1500);
        announce("已复制引文：" + text);
      },
      function () {
        announce("无法复制，请手动复制：" + text);
      }
    );
  });
})();
