/* Reader settings (text size, margin notes, term links), kept per browser in
   localStorage and applied as data attributes on <html> (the head script of
   reading.py applies them before the page is painted); without JavaScript the
   page shows the default view. Also: the 校 correction's original reading in
   a tooltip kept inside the window. */
(function () {
  "use strict";
  var KEY = "reader-settings";
  var DEFAULTS = { size: "m", notes: true, terms: true };
  var ui = window.READER_UI;
  var root = document.documentElement;

  function load() {
    var stored = {};
    try {
      stored = JSON.parse(window.localStorage.getItem(KEY) || "{}") || {};
    } catch (e) {
      stored = {};
    }
    return {
      size: ["s", "m", "l"].indexOf(stored.size) >= 0 ? stored.size : DEFAULTS.size,
      notes: stored.notes !== false,
      terms: stored.terms !== false,
    };
  }

  function save(settings) {
    try {
      window.localStorage.setItem(KEY, JSON.stringify(settings));
    } catch (e) {
      /* storage disabled: the settings last for this page */
    }
  }

  function apply(settings) {
    root.setAttribute("data-reader-size", settings.size);
    root.setAttribute("data-reader-notes", settings.notes ? "show" : "hide");
    root.setAttribute("data-reader-terms", settings.terms ? "show" : "hide");
    // Hidden term links leave the tab order too.
    document.querySelectorAll("a.reference .reader-term").forEach(function (span) {
      var link = span.closest("a");
      if (settings.terms) link.removeAttribute("tabindex");
      else link.setAttribute("tabindex", "-1");
    });
  }

  var settings = load();
  apply(settings);

  function element(tag, cls, text) {
    var el = document.createElement(tag);
    if (cls) el.className = cls;
    if (text) el.textContent = text;
    return el;
  }

  function buildMenu() {
    var host = document.querySelector(".article-header-buttons");
    if (!host || document.querySelector(".reader-settings")) return;
    var wrap = element("div", "reader-settings");
    var button = element("button", "btn btn-sm pst-navbar-icon reader-settings-button");
    button.type = "button";
    button.setAttribute("aria-label", ui.t("settings"));
    button.title = ui.t("settings");
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-controls", "reader-settings-panel");
    button.appendChild(element("span", "reader-settings-icon", "Aa"));
    var panel = element("div", "reader-settings-panel");
    panel.id = "reader-settings-panel";
    panel.hidden = true;
    panel.setAttribute("role", "group");
    panel.setAttribute("aria-label", ui.t("settings"));

    var sizes = element("fieldset", "reader-settings-sizes");
    sizes.appendChild(element("legend", null, ui.t("text-size")));
    [
      ["s", "size-s"],
      ["m", "size-m"],
      ["l", "size-l"],
    ].forEach(function (pair) {
      var label = element("label", "reader-settings-size reader-settings-size-" + pair[0]);
      var input = element("input");
      input.type = "radio";
      input.name = "reader-size";
      input.value = pair[0];
      input.checked = settings.size === pair[0];
      label.appendChild(input);
      label.appendChild(element("span", null, ui.t(pair[1])));
      sizes.appendChild(label);
    });
    panel.appendChild(sizes);

    [
      ["notes", "show-notes"],
      ["terms", "show-terms"],
    ].forEach(function (pair) {
      var label = element("label", "reader-settings-toggle");
      var input = element("input");
      input.type = "checkbox";
      input.name = "reader-" + pair[0];
      input.checked = settings[pair[0]];
      label.appendChild(input);
      label.appendChild(element("span", null, ui.t(pair[1])));
      panel.appendChild(label);
    });

    var meta = document.querySelector('meta[name="reader-other-variant"]');
    if (meta) {
      var other = element("a", "reader-settings-variant", ui.t("variant-name"));
      other.href = meta.getAttribute("content");
      other.lang = other.hreflang = ui.t("variant-lang");
      panel.appendChild(other);
    }

    panel.addEventListener("change", function (e) {
      var input = e.target;
      if (input.name === "reader-size") settings.size = input.value;
      else if (input.name === "reader-notes") settings.notes = input.checked;
      else if (input.name === "reader-terms") settings.terms = input.checked;
      apply(settings);
      save(settings);
    });

    function close(refocus) {
      if (panel.hidden) return;
      panel.hidden = true;
      button.setAttribute("aria-expanded", "false");
      if (refocus) button.focus();
    }
    button.addEventListener("click", function () {
      var open = panel.hidden;
      panel.hidden = !open;
      button.setAttribute("aria-expanded", open ? "true" : "false");
      // The menu sits in the sticky header: focusing it must not scroll the page.
      if (open) panel.querySelector("input:checked, input").focus({ preventScroll: true });
    });
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && !panel.hidden) close(true);
    });
    document.addEventListener("click", function (e) {
      if (!wrap.contains(e.target)) close(false);
    });
    wrap.addEventListener("focusout", function (e) {
      if (e.relatedTarget && !wrap.contains(e.relatedTarget)) close(false);
    });

    wrap.appendChild(button);
    wrap.appendChild(panel);
    host.insertBefore(wrap, host.firstChild);
  }
  buildMenu();
})();

/* The original reading of a correction (校): a tooltip on hover, focus or tap,
   wrapped and kept inside the window (the stylesheet's ::before is the
   fallback without JavaScript). */
(function () {
  "use strict";
  document.documentElement.classList.add("reader-js");
  var tip = null;
  var owner = null;

  document.querySelectorAll(".reader-corr[title]").forEach(function (corr) {
    // The browser's own title tooltip would show the same text a second time.
    corr.setAttribute("data-tip", corr.getAttribute("title"));
    corr.removeAttribute("title");
  });

  function hide() {
    if (tip) tip.remove();
    if (owner) owner.removeAttribute("aria-describedby");
    tip = null;
    owner = null;
  }

  function show(corr) {
    if (owner === corr) return;
    hide();
    tip = document.createElement("div");
    tip.className = "reader-corr-tip";
    tip.id = "reader-corr-tip";
    tip.setAttribute("role", "tooltip");
    tip.textContent = corr.getAttribute("data-tip") || ui().t("css-original-open") + corr.dataset.original + ui().t("css-original-close");
    document.body.appendChild(tip);
    owner = corr;
    corr.setAttribute("aria-describedby", tip.id);
    place(corr);
  }

  function ui() {
    return window.READER_UI;
  }

  function place(corr) {
    var view = document.documentElement.clientWidth;
    tip.style.maxWidth = Math.min(320, view - 16) + "px";
    var rects = corr.getClientRects();
    var r = rects.length ? rects[0] : corr.getBoundingClientRect();
    var width = tip.offsetWidth;
    var left = Math.max(8, Math.min(r.left, view - width - 8));
    tip.style.left = left + window.scrollX + "px";
    var h = tip.offsetHeight;
    var top = r.top - h - 6;
    if (top < 56) top = corr.getBoundingClientRect().bottom + 6; // no room above: below
    tip.style.top = top + window.scrollY + "px";
  }

  document.addEventListener("pointerover", function (e) {
    var corr = e.target.closest && e.target.closest(".reader-corr");
    if (corr && e.pointerType !== "touch") show(corr);
  });
  document.addEventListener("pointerout", function (e) {
    var corr = e.target.closest && e.target.closest(".reader-corr");
    if (corr && corr === owner && document.activeElement !== corr && e.pointerType !== "touch") hide();
  });
  document.addEventListener("focusin", function (e) {
    var corr = e.target.closest && e.target.closest(".reader-corr");
    if (corr) show(corr);
    else hide();
  });
  document.addEventListener("click", function (e) {
    var corr = e.target.closest && e.target.closest(".reader-corr");
    if (corr) show(corr);
    else hide();
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") hide();
  });
  window.addEventListener("resize", function () {
    if (owner) place(owner);
  });
})();

/* Reading position: each reading page remembers (per browser, localStorage) the
   paragraph at the top of the screen; opened again without a #fragment, it offers
   a link back there instead of jumping on its own. */
(function () {
  "use strict";
  var KEY = "reader-positions";
  var KEEP = 50; // pages remembered
  if (!document.querySelector(".reader-block") || !window.READER_TOP_ANCHOR) return;
  var ui = window.READER_UI;
  var path = window.location.pathname;

  function read() {
    try {
      return JSON.parse(window.localStorage.getItem(KEY) || "{}") || {};
    } catch (e) {
      return {};
    }
  }

  function write(anchor) {
    var all = read();
    delete all[path];
    if (anchor) all[path] = { a: anchor, t: Date.now() };
    var paths = Object.keys(all).sort(function (x, y) {
      return all[y].t - all[x].t;
    });
    paths.slice(KEEP).forEach(function (p) {
      delete all[p];
    });
    try {
      window.localStorage.setItem(KEY, JSON.stringify(all));
    } catch (e) {
      /* storage disabled: nothing remembered */
    }
  }

  var saved = read()[path];
  var timer = null;
  window.addEventListener(
    "scroll",
    function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        write(window.READER_TOP_ANCHOR()); // "" at the top of the page: forgotten
      }, 400);
    },
    { passive: true }
  );

  if (!saved || window.location.hash) return;
  var number = document.querySelector('a.reader-pnum[href="#' + saved.a + '"]');
  var target = document.getElementById(saved.a);
  var article = document.querySelector(".bd-article");
  if (!target || !article) return;
  var note = document.createElement("p");
  note.className = "reader-resume";
  note.setAttribute("role", "note");
  var link = document.createElement("a");
  link.href = "#" + saved.a;
  link.textContent = number ? ui.t("resume", { n: number.textContent }) : ui.t("resume-heading");
  var close = document.createElement("button");
  close.type = "button";
  close.className = "reader-resume-close";
  close.setAttribute("aria-label", ui.t("close"));
  close.textContent = "×";
  function dismiss() {
    note.remove();
  }
  link.addEventListener("click", dismiss);
  close.addEventListener("click", dismiss);
  note.appendChild(link);
  note.appendChild(close);
  var after = article.querySelector(".reader-variant-switch");
  article.insertBefore(note, after ? after.nextSibling : article.firstChild);
})();
