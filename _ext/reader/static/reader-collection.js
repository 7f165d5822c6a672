/* The landing page's list of sources (issue 18, reader/navigation.py): filters by
   kind, year and author over collection.json, shown page_size at a time.  The
   page itself holds the first cards (and links to the section pages) for
   readers without JavaScript; the cards made here copy the first one's markup. */
(function () {
  "use strict";

  function start() {
    var form = document.querySelector("form.reader-collection-browser");
    var grid = document.querySelector(".reader-collection .sd-row");
    if (!form || !grid) return;
    var template = grid.querySelector(".sd-col");
    if (!template) return;
    template = template.cloneNode(true);
    fetch(form.getAttribute("data-src"))
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) { setUp(form, grid, template, data); })
      .catch(function () { /* the server-side cards and the section links stay */ });
  }

  function text(template, n) {
    return template.replace("{n}", String(n));
  }

  function setUp(form, grid, template, data) {
    var base = new URL(form.getAttribute("data-src"), document.baseURI);
    var authors = form.querySelector('select[name="author"]');
    data.authors.forEach(function (pair) {
      var option = document.createElement("option");
      option.value = pair[0];
      option.textContent = text(form.getAttribute("data-option"), pair[1]).replace("{label}", pair[0]);
      authors.appendChild(option);
    });
    var more = document.createElement("button");
    more.type = "button";
    more.className = "reader-collection-more";
    grid.parentNode.insertBefore(more, grid.nextSibling);
    var count = form.querySelector(".reader-collection-count");
    var shown = 0;
    var selected = [];

    function card(source) {
      var col = template.cloneNode(true);
      col.querySelector(".sd-card-title").textContent = source.title;
      var body = col.querySelector(".sd-card-body");
      var summary = body.querySelector("p.sd-card-text");
      if (source.summary) {
        if (!summary) {
          summary = document.createElement("p");
          summary.className = "sd-card-text";
          body.appendChild(summary);
        }
        summary.textContent = source.summary;
      } else if (summary) {
        summary.remove();
      }
      col.querySelector(".sd-card-footer .sd-card-text").textContent = source.footer;
      var link = col.querySelector("a.sd-stretched-link");
      link.href = new URL(source.url, base).href + "#" + source.slug;
      link.textContent = "";
      var span = document.createElement("span");
      span.className = "std std-ref";
      span.textContent = source.title;
      link.appendChild(span);
      return col;
    }

    function showMore() {
      var next = selected.slice(shown, shown + data.page_size);
      var fragment = document.createDocumentFragment();
      next.forEach(function (source) { fragment.appendChild(card(source)); });
      grid.appendChild(fragment);
      shown += next.length;
      var left = selected.length - shown;
      more.hidden = left <= 0;
      more.textContent = text(form.getAttribute("data-more"), Math.min(left, data.page_size));
    }

    function apply() {
      var kind = form.elements.kind.value;
      var year = form.elements.year.value;
      var author = form.elements.author.value;
      selected = data.sources.filter(function (s) {
        return (!kind || s.kind === kind) && (!year || s.year === year) && (!author || s.author === author);
      });
      grid.textContent = "";
      shown = 0;
      count.textContent = selected.length
        ? text(form.getAttribute("data-count"), selected.length)
        : form.getAttribute("data-none");
      showMore();
    }

    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    more.addEventListener("click", showMore);
    form.hidden = false;
    apply();
    form.setAttribute("data-ready", "1");
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
