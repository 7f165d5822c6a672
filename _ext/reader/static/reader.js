/* Interface strings of the reading-comfort features, one table per variant
   (simplified is the source; the traditional column is its conversion). */
window.READER_UI = (function () {
  "use strict";
  var strings = {
    hans: {
      settings: "阅读设置",
      textSize: "字号",
      sizeS: "小",
      sizeM: "中",
      sizeL: "大",
      showNotes: "显示旁注",
      showTerms: "显示术语链接",
      variant: "繁體中文",
      variantLabel: "字形",
      original: "原作",
      resume: "接着上次读：第{n}段",
      resumeHeading: "接着上次读",
      close: "关闭",
    },
    hant: {
      settings: "閱讀設定",
      textSize: "字號",
      sizeS: "小",
      sizeM: "中",
      sizeL: "大",
      showNotes: "顯示旁註",
      showTerms: "顯示術語連結",
      variant: "简体中文",
      variantLabel: "字形",
      original: "原作",
      resume: "接著上次讀：第{n}段",
      resumeHeading: "接著上次讀",
      close: "關閉",
    },
  };
  var hant = /^zh-Hant/i.test(document.documentElement.lang || "");
  var table = hant ? strings.hant : strings.hans;
  return {
    hant: hant,
    t: function (key) {
      return table[key];
    },
  };
})();
/* The interface strings of this variant: one table written by the build
   (variant/interface.toml, window.READER_STRINGS); "{n}" fields filled in. */
function readerText(key, fields) {
  var table = window.READER_STRINGS || {};
  var text = table[key] || key;
  Object.keys(fields || {}).forEach(function (name) {
    text = text.split("{" + name + "}").join(fields[name]);
  });
  return text;
}

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
  // One clipboard helper for every copy control (reader-cite.js uses it too).
  window.readerCopyText = copyText;

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
        announce(readerText("copied") + text);
      },
      function () {
        announce(readerText("copy-failed") + text);
      }
    );
  });
})();

/* Glossary previews: term, pinyin, English, definition on hover, keyboard focus
   and tap, without a server. A second tap (or Enter) follows the link. */
(function () {
  "use strict";

  var tip = null;
  var owner = null;
  var hideTimer = null;
  var showTimer = null;
  var OPEN_DELAY = 350; // ms: a mouse passing over a term opens nothing
  var quietLink = null; // the link Escape refocused: its focus must not reopen the preview

  function termLink(node) {
    if (!node || !node.closest) return null;
    if (node.matches("a") && node.querySelector(".reader-term")) return node; // focus lands on the link
    var span = node.closest(".reader-term");
    return span ? span.closest("a") : null;
  }

  function entryOf(link) {
    var span = link.querySelector(".reader-term");
    var data = window.READER_GLOSSARY || {};
    for (var i = 0; i < span.classList.length; i++) {
      var cls = span.classList[i];
      if (cls.indexOf("reader-term-") === 0 && data[cls.slice(12)]) {
        return data[cls.slice(12)];
      }
    }
    return null;
  }

  function element(tag, cls, text) {
    var el = document.createElement(tag);
    if (cls) el.className = cls;
    if (text) el.textContent = text;
    return el;
  }

  function termsHidden() {
    return document.documentElement.getAttribute("data-reader-terms") === "hide";
  }

  function show(link) {
    window.clearTimeout(showTimer);
    if (termsHidden()) return;
    var entry = entryOf(link);
    if (!entry) return;
    window.clearTimeout(hideTimer);
    if (owner === link && tip) return;
    hide();
    tip = element("div", "reader-preview");
    tip.id = "reader-preview";
    tip.setAttribute("role", "tooltip");
    var head = element("div", "reader-preview-head");
    head.appendChild(element("strong", "reader-preview-term", entry.term));
    if (entry.pinyin) {
      var pinyin = element("span", "reader-preview-pinyin", entry.pinyin);
      pinyin.lang = "zh-Latn-pinyin";
      head.appendChild(pinyin);
    }
    tip.appendChild(head);
    if (entry.english) {
      var english = element("div", "reader-preview-english", entry.english);
      english.lang = "en";
      tip.appendChild(english);
    }
    tip.appendChild(element("p", "reader-preview-definition", entry.definition));
    var more = element("a", "reader-preview-more", readerText("entry-more"));
    more.href = link.href;
    tip.appendChild(more);
    tip.addEventListener("mouseenter", function () {
      window.clearTimeout(hideTimer);
    });
    tip.addEventListener("mouseleave", scheduleHide);
    document.body.appendChild(tip);
    owner = link;
    link.setAttribute("aria-describedby", tip.id);
    place(link);
  }

  function place(link) {
    var r = link.getBoundingClientRect();
    var width = Math.min(360, document.documentElement.clientWidth - 16);
    tip.style.width = width + "px";
    var left = Math.max(8, Math.min(r.left + window.scrollX, window.scrollX + document.documentElement.clientWidth - width - 8));
    tip.style.left = left + "px";
    var below = r.bottom + window.scrollY + 6;
    tip.style.top = below + "px";
    var h = tip.offsetHeight;
    if (r.bottom + h + 12 > window.innerHeight && r.top > h + 12) {
      tip.style.top = r.top + window.scrollY - h - 6 + "px";
    }
  }

  function hide() {
    window.clearTimeout(hideTimer);
    window.clearTimeout(showTimer);
    if (tip) tip.remove();
    if (owner) owner.removeAttribute("aria-describedby");
    tip = null;
    owner = null;
  }

  function scheduleHide() {
    window.clearTimeout(hideTimer);
    hideTimer = window.setTimeout(hide, 250);
  }

  // Hover previews for mice and pens; a touch tap previews first, a second tap follows.
  var lastPointer = "mouse";
  var lastDown = 0;
  document.addEventListener("pointerdown", function (e) {
    lastPointer = e.pointerType || "mouse";
    lastDown = Date.now();
  }, true);
  document.addEventListener("pointerover", function (e) {
    var link = termLink(e.target);
    if (!link || e.pointerType === "touch") return;
    if (owner === link) {
      show(link); // back from the preview: keep it
      return;
    }
    window.clearTimeout(showTimer);
    showTimer = window.setTimeout(function () {
      show(link);
    }, OPEN_DELAY);
  });
  document.addEventListener("pointerout", function (e) {
    var link = termLink(e.target);
    if (!link || e.pointerType === "touch") return;
    window.clearTimeout(showTimer);
    if (link === owner) scheduleHide();
  });
  document.addEventListener("focusin", function (e) {
    var link = termLink(e.target);
    if (link && link === quietLink) {
      quietLink = null; // Escape put the focus back here: stay closed
      return;
    }
    quietLink = null;
    if (link && lastPointer === "touch" && Date.now() - lastDown < 1000) return; // the tap decides
    if (link) {
      show(link);
    } else if (tip && !tip.contains(e.target)) {
      hide();
    }
  });
  document.addEventListener("click", function (e) {
    var link = termLink(e.target);
    if (link && owner !== link && lastPointer === "touch") {
      e.preventDefault(); // first tap previews, second tap follows
      show(link);
      return;
    }
    if (tip && !tip.contains(e.target) && !link) hide();
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && (tip || showTimer)) {
      var link = owner;
      var focusInside = tip && tip.contains(document.activeElement);
      hide();
      // Back to the link only from inside the preview; its focus must not reopen it.
      if (link && focusInside) {
        quietLink = link;
        link.focus();
      }
    }
  });
  window.addEventListener("resize", function () {
    if (tip && owner) place(owner);
  });
})();

/* The variant switch lands on the same place: the paragraph (or heading) nearest
   the top of the screen, and the search page's query. */
(function () {
  "use strict";
  var ANCHOR = /^[ps][0-9]+[a-z]*$/;

  function headerBottom() {
    var bottom = 0;
    document.querySelectorAll(".bd-header-article, #pst-header").forEach(function (el) {
      var r = el.getBoundingClientRect();
      if (r.height && r.top <= 1) bottom = Math.max(bottom, r.bottom);
    });
    return bottom;
  }

  // The first anchored block with more than a line of it below the header.
  function topAnchor() {
    if (window.scrollY < 2) return "";
    var line = headerBottom() + 40;
    var best = "";
    var candidates = document.querySelectorAll(".bd-article [id]");
    for (var i = 0; i < candidates.length; i++) {
      var el = candidates[i];
      if (!ANCHOR.test(el.id) || el.classList.contains("reader-alias")) continue;
      // A section (s3) counts by its heading, not by the whole of its text.
      var box = el.tagName === "SECTION" ? el.querySelector(":scope > h1, :scope > h2, :scope > h3, :scope > h4") : el;
      if (!box) continue;
      var r = box.getBoundingClientRect();
      if (!r.height) continue;
      if (r.bottom > line) {
        best = el.id;
        break;
      }
    }
    return best;
  }
  window.READER_TOP_ANCHOR = topAnchor;

  // At the top of the page (its title on screen) the reader has not scrolled into
  // the text: the page's own fragment, if any, says where they are.
  function atPageTop() {
    var title = document.querySelector(".bd-article h1, .bd-search-container h1");
    return !title || title.getBoundingClientRect().bottom > headerBottom();
  }

  document.addEventListener("click", function (e) {
    var link = e.target.closest ? e.target.closest("a.reader-variant-link, a.reader-settings-variant") : null;
    if (!link) return;
    var anchor = atPageTop() ? "" : topAnchor();
    var hash = anchor ? "#" + anchor : window.location.hash;
    link.href = link.href.split(/[?#]/)[0] + window.location.search + hash;
  });

  // The search page has no switch from the build: the same one, from the page's meta.
  var meta = document.querySelector('meta[name="reader-other-variant"]');
  var article = document.querySelector(".bd-article, .bd-search-container");
  if (meta && article && !document.querySelector(".reader-variant-switch")) {
    var nav = document.createElement("nav");
    nav.className = "reader-variant-switch";
    nav.setAttribute("aria-label", window.READER_UI.t("variantLabel"));
    var a = document.createElement("a");
    a.className = "reader-variant-link";
    a.href = meta.getAttribute("content");
    var lang = window.READER_UI.hant ? "zh-Hans" : "zh-Hant";
    a.lang = lang;
    a.hreflang = lang;
    a.textContent = window.READER_UI.t("variant");
    nav.appendChild(a);
    article.insertBefore(nav, article.firstChild);
  }
})();

/* On a narrow window the margin notes collapse behind a button beside the
   paragraph; the button is a real <button> (keyboard, screen readers). */
(function () {
  "use strict";
  var narrow = window.matchMedia("(max-width: 1199.98px)");

  function setup() {
    document.querySelectorAll("aside.reader-margin").forEach(function (aside) {
      var block = aside.parentElement;
      var button = block.querySelector(":scope > .reader-margin-toggle");
      if (!button) {
        button = document.createElement("button");
        button.type = "button";
        button.className = "reader-margin-toggle";
        var count = aside.querySelectorAll(".reader-margin-item").length;
        button.textContent = readerText("margin-button") + count;
        button.setAttribute("aria-controls", aside.id);
        button.setAttribute("aria-label", readerText("margin-label", { n: count }));
        button.addEventListener("click", function () {
          var open = button.getAttribute("aria-expanded") === "true";
          button.setAttribute("aria-expanded", open ? "false" : "true");
          aside.hidden = open;
        });
        block.insertBefore(button, aside); // before the notes: Tab reaches them next
      }
      if (narrow.matches) {
        button.setAttribute("aria-expanded", "false");
        aside.hidden = true;
      } else {
        aside.hidden = false;
      }
    });
  }
  setup();
  if (narrow.addEventListener) narrow.addEventListener("change", setup);
})();
