/* Citation formats (issue 19): the source's panel under its metadata card, and a
   paragraph's formats in a small panel that opens beside its ❝ button (the
   button itself still copies the Chinese note-style citation, see reader.js).
   The build writes the citations with {number} and {url} left for each
   paragraph; the browser fills in the absolute URL. */
(function () {
  "use strict";

  var node = document.getElementById("reader-citations");
  if (!node) {
    return;
  }
  var data = JSON.parse(node.textContent);
  var t = window.READER_UI.t; // the interface strings of this variant (reader.js)
  var pageUrl = window.location.origin + window.location.pathname;

  function absolute(text) {
    // Without html_baseurl the build knows only the page's file name.
    if (/^https?:/.test(data.page)) {
      return text;
    }
    return text.split(" " + data.page).join(" " + pageUrl);
  }

  function copy(text, button) {
    // (the clipboard helper of reader.js: async API, or the old way on plain HTTP)
    window.readerCopyText(text).then(
      function () {
        button.textContent = t("cite-copied");
        window.setTimeout(function () {
          button.textContent = t("cite-copy");
        }, 1500);
      },
      function () {
        button.textContent = t("cite-failed");
      }
    );
  }

  function copyButton(text) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "reader-cite-copy";
    button.textContent = t("cite-copy");
    button.addEventListener("click", function (event) {
      event.stopPropagation();
      copy(text, button);
    });
    return button;
  }

  // The source's panel: absolute URLs, and a copy button per format.
  document.querySelectorAll(".reader-cite-source .reader-cite-text").forEach(function (span) {
    span.textContent = absolute(span.textContent);
    span.parentNode.appendChild(copyButton(span.textContent));
  });

  var open = null;
  function close(focusButton) {
    if (!open) {
      return;
    }
    var owner = open.previousElementSibling;
    open.remove();
    open = null;
    if (focusButton && owner) {
      owner.focus();
    }
  }

  function panelFor(button) {
    var anchor = button.dataset.anchor;
    var link = button.parentNode.querySelector("a.reader-pnum[href='#" + anchor + "']");
    var number = link ? link.textContent : anchor.replace(/^p/, "");
    var url = pageUrl + "#" + anchor;
    var panel = document.createElement("div");
    panel.className = "reader-cite-panel reader-cite-popover";
    panel.setAttribute("role", "group");
    panel.setAttribute("aria-label", t("cite-formats", { n: number }));
    var list = document.createElement("dl");
    Object.keys(data.paragraph).forEach(function (key) {
      var text = data.paragraph[key].split("{number}").join(number).split("{url}").join(url);
      var row = document.createElement("div");
      row.className = "reader-cite-row";
      var term = document.createElement("dt");
      term.textContent = data.labels[key];
      var desc = document.createElement("dd");
      var span = document.createElement("span");
      span.className = "reader-cite-text";
      span.dataset.format = key;
      if (/^(chicago|apa)/.test(key)) span.lang = "en"; // English-language styles
      span.textContent = absolute(text);
      desc.appendChild(span);
      desc.appendChild(copyButton(span.textContent));
      row.appendChild(term);
      row.appendChild(desc);
      list.appendChild(row);
    });
    panel.appendChild(list);
    var shut = document.createElement("button");
    shut.type = "button";
    shut.className = "reader-cite-close";
    shut.textContent = t("close");
    shut.addEventListener("click", function (event) {
      event.stopPropagation();
      close(true);
    });
    panel.appendChild(shut);
    return panel;
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button.reader-cite");
    if (button) {
      var same = open && open.previousElementSibling === button;
      close(false);
      if (!same) {
        open = panelFor(button);
        button.insertAdjacentElement("afterend", open);
        button.setAttribute("aria-expanded", "true");
      }
      return;
    }
    if (open && !open.contains(event.target)) {
      close(false);
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && open) {
      close(true);
    }
  });
})();
