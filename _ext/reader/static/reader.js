/* The interface strings of this variant: one table per language, written by the
   build from variant/interface.toml into every page (window.READER_STRINGS, with
   the variant, "hans" or "hant", and the other variant's name and language);
   "{n}" fields filled in. Every script of the reader takes its strings, and the
   variant, from here. */
function readerText(key, fields) {
  var table = window.READER_STRINGS || {};
  var text = table[key] || key;
  Object.keys(fields || {}).forEach(function (name) {
    text = text.split("{" + name + "}").join(fields[name]);
  });
  return text;
}
window.READER_UI = {
  hant: (window.READER_STRINGS || {}).variant === "hant",
  t: readerText,
};

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
   and tap, without a server. A second tap (or Enter) follows the link. The
   preview holds a link, so it is a non-modal dialog (a popover), not a tooltip:
   the term's link says it is expanded and controls it, Tab moves from the term
   into the preview and on out of it to what follows the term, Escape closes. */
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
    tip.setAttribute("role", "dialog");
    tip.setAttribute("aria-label", readerText("preview-label", { term: entry.term }));
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
    link.setAttribute("aria-expanded", "true");
    link.setAttribute("aria-controls", tip.id);
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
    if (owner) {
      owner.setAttribute("aria-expanded", "false");
      owner.removeAttribute("aria-controls");
    }
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
  // What Tab reaches (visible, not taken out of the tab order).
  function tabbable(root) {
    return Array.prototype.filter.call(
      root.querySelectorAll("a[href], button, input, select, textarea, summary, [tabindex]"),
      function (el) {
        return el.tabIndex >= 0 && !el.disabled && el.getClientRects().length > 0;
      }
    );
  }

  // The preview is at the end of the page (so that nothing clips it): Tab and
  // Shift+Tab go through it as if it followed its term.
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Tab" || !tip || !owner) return;
    var inside = tabbable(tip);
    var active = document.activeElement;
    if (!inside.length) return;
    if (active === owner && !e.shiftKey) {
      e.preventDefault();
      inside[0].focus();
    } else if (active === inside[0] && e.shiftKey) {
      e.preventDefault();
      owner.focus();
    } else if (active === inside[inside.length - 1] && !e.shiftKey) {
      var all = tabbable(document).filter(function (el) {
        return !tip.contains(el);
      });
      var next = all[all.indexOf(owner) + 1];
      e.preventDefault();
      hide();
      if (next) next.focus();
    }
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
    nav.setAttribute("aria-label", readerText("variant-label"));
    var a = document.createElement("a");
    a.className = "reader-variant-link";
    a.href = meta.getAttribute("content");
    a.lang = a.hreflang = readerText("variant-lang");
    a.textContent = readerText("variant-name");
    nav.appendChild(a);
    article.insertBefore(nav, article.firstChild);
  }
})();

/* On a narrow window the margin notes collapse behind a button beside the
   paragraph; the button is a real <button> (keyboard, screen readers). Which
   window is narrow is decided by margin.css alone (its media query sets
   --reader-margin-layout): the script asks the stylesheet, so the breakpoint
   is written once. */
(function () {
  "use strict";
  var layout = null;

  function narrow() {
    var value = getComputedStyle(document.documentElement).getPropertyValue("--reader-margin-layout");
    return value.trim() === "narrow";
  }

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
      if (layout === "narrow") {
        button.setAttribute("aria-expanded", "false");
        aside.hidden = true;
      } else {
        aside.hidden = false;
      }
    });
  }

  // On load and whenever the window crosses the stylesheet's breakpoint.
  function update() {
    var now = narrow() ? "narrow" : "wide";
    if (now === layout) return;
    layout = now;
    setup();
  }
  update();
  window.addEventListener("resize", update);
})();
