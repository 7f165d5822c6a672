/* The reader's paragraph search (issue 17), over the index that
   reader/core/searchindex.py writes under _search/ (see its docstring for the
   promises): ranked results with filters on the search page, and on a reading
   page the query marked in the text, with a way to step through the hits. */
(function () {
  "use strict";
  // The interface strings of this variant (reader.js): search-<name>.
  function t(key, values) {
    return window.READER_UI.t("search-" + key, values);
  }

  /* ------------------------------------------------------------- loading */
  var root = document.documentElement.getAttribute("data-content_root") || "";
  var loaded = {};
  var waiting = {};
  window.READER_SEARCH = {
    add: function (name, data) {
      loaded[name] = data;
      (waiting[name] || []).forEach(function (w) {
        w[0](data);
      });
      delete waiting[name];
    },
  };
  // Index files are scripts, so the search works from file:// as well as over HTTP.
  function load(name) {
    return new Promise(function (resolve, reject) {
      if (Object.prototype.hasOwnProperty.call(loaded, name)) return resolve(loaded[name]);
      if (waiting[name]) return waiting[name].push([resolve, reject]);
      waiting[name] = [[resolve, reject]];
      var script = document.createElement("script");
      script.src = root + "_search/" + name + ".js";
      script.async = true;
      script.onerror = function () {
        (waiting[name] || []).forEach(function (w) {
          w[1](new Error("search index file missing: " + name));
        });
        delete waiting[name];
      };
      document.head.appendChild(script);
    });
  }

  /* ------------------------------------------------- folding and tokens */
  var HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{3134f}]/u;
  var TOKEN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{3134f}]+|[a-z0-9]+/gu;
  var HAN_ONLY = /^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{3134f}]+$/u;
  var QUERY_SPLIT = /[\s,，、;；。.!！?？:：“”‘’《》（）()"']+/;
  var fold = {};

  function foldText(text) {
    var out = "";
    for (var ch of text) {
      var code = ch.codePointAt(0);
      if (code >= 0xff01 && code <= 0xff5e) ch = String.fromCharCode(code - 0xfee0);
      if (fold[ch]) ch = fold[ch];
      var low = ch.toLowerCase();
      out += low.length === ch.length ? low : ch;
    }
    return out;
  }

  function wordTokens(word) {
    var out = [];
    (word.match(TOKEN) || []).forEach(function (run) {
      if (HAN.test(run)) {
        var chars = Array.from(run);
        if (chars.length === 1) out.push(run);
        for (var i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
      } else {
        out.push(run);
      }
    });
    return out.filter(function (tok, i) {
      return out.indexOf(tok) === i;
    });
  }

  function queryWords(query) {
    return foldText(query)
      .split(QUERY_SPLIT)
      .filter(function (w) {
        return wordTokens(w).length;
      });
  }

  function fnv1a(token) {
    var h = 0x811c9dc5;
    for (var ch of token) {
      h = (h ^ ch.codePointAt(0)) >>> 0;
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h;
  }

  /* --------------------------------------------------------- the index */
  var meta = null;
  function loadMeta() {
    return load("meta").then(function (m) {
      if (!meta) {
        meta = m;
        var pairs = Array.from(m.fold);
        for (var i = 0; i + 1 < pairs.length; i += 2) fold[pairs[i]] = pairs[i + 1];
      }
      return meta;
    });
  }

  // Postings as core/searchindex.py encodes them: per paragraph a gap (base 32,
  // digits with more to follow shifted by 32) and a weight (+32 in a heading).
  var ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  function postings(token) {
    return load("t/" + (fnv1a(token) % meta.shards)).then(function (shard) {
      var text = Object.prototype.hasOwnProperty.call(shard, token) ? shard[token] : "";
      var out = [];
      var pid = 0;
      var gap = 0;
      for (var i = 0; i < text.length; i++) {
        var value = ALPHABET.indexOf(text[i]);
        if (value >= 32) {
          gap = gap * 32 + (value - 32);
          continue;
        }
        pid += gap * 32 + value;
        gap = 0;
        var code = ALPHABET.indexOf(text[++i]);
        out.push([pid, (code & 31) + (code >= 32 ? 100 : 0)]);
      }
      return out;
    });
  }

  // pid -> BM25 score of one word: paragraphs holding all its tokens (as core/searchindex.py).
  function wordHits(word) {
    var toks = wordTokens(word);
    return Promise.all(toks.map(postings)).then(function (lists) {
      var n = meta.paragraphs;
      var scores = null;
      var heads = {};
      lists.forEach(function (plist) {
        var idf = Math.log(1 + (n - plist.length + 0.5) / (plist.length + 0.5));
        var found = new Map();
        plist.forEach(function (p) {
          found.set(p[0], (idf * (p[1] % 100)) / 10);
          if (p[1] >= 100) heads[p[0]] = (heads[p[0]] || 0) + 1;
        });
        if (scores === null) scores = found;
        else {
          var next = new Map();
          scores.forEach(function (s, pid) {
            if (found.has(pid)) next.set(pid, s + found.get(pid));
          });
          scores = next;
        }
      });
      scores = scores || new Map();
      scores.forEach(function (s, pid) {
        if (heads[pid] === toks.length) scores.set(pid, s * meta.boost.heading);
      });
      meta.terms.forEach(function (term) {
        if (term[0].indexOf(word) >= 0 && scores.has(term[3])) {
          scores.set(term[3], scores.get(term[3]) * meta.boost.definition);
        }
      });
      return scores;
    });
  }

  function bisect(starts, value) {
    var lo = 0;
    var hi = starts.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= value) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
  var firstPids = null;
  // A source: [slug, kind, date, first paragraph] in the metadata, and its page.
  function sourceOf(pid) {
    if (!firstPids) firstPids = meta.sources.map(function (s) { return s[3]; });
    var i = bisect(firstPids, pid);
    var s = meta.sources[i];
    var url = meta.url.pattern ? meta.url.pattern[0] + s[0] + meta.url.pattern[1] : meta.url.list[i];
    return { index: i, slug: s[0], kind: s[1], date: s[2], url: url };
  }
  function paragraph(pid) {
    var chunk = bisect(meta.chunks, pid);
    return load("p/" + chunk).then(function (data) {
      var row = data.rows[pid - meta.chunks[chunk]];
      var src = sourceOf(pid);
      return {
        pid: pid,
        anchor: row[0],
        number: row[1],
        text: row[2],
        heading: row[3],
        folded: foldText(row[2]),
        source: src,
        title: data.titles[String(src.index)],
      };
    });
  }

  /* --------------------------------------------------------- pinyin */
  var PINYIN = /^[a-zA-Z\u00fc\u00dc\u0300-\u036f\u0101\u00e1\u01ce\u00e0\u0113\u00e9\u011b\u00e8\u012b\u00ed\u01d0\u00ec\u014d\u00f3\u01d2\u00f2\u016b\u00fa\u01d4\u00f9\u01d6\u01d8\u01da\u01dc0-9'\s:]+$/;
  function pinyinKey(query) {
    return query
      .normalize("NFD")
      .replace(/u\u0308/gi, "v")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/u:/gi, "v")
      .replace(/[0-9'\s:]/g, "")
      .toLowerCase();
  }

  // The Chinese words a pinyin query spells (fewest words), or null.
  function resolvePinyin(query) {
    if (!PINYIN.test(query) || !/[a-z]/i.test(query)) return Promise.resolve(null);
    var key = pinyinKey(query);
    var best = new Array(key.length + 1).fill(null);
    best[0] = [];
    function step(i) {
      if (i >= key.length) return Promise.resolve(best[key.length]);
      if (!best[i]) return step(i + 1);
      var names = meta.pinyin.filter(function (s) {
        return key.startsWith(s, i);
      });
      return Promise.all(
        names.map(function (s) {
          return load("y/" + s);
        })
      ).then(function (tables) {
        tables.forEach(function (table) {
          Object.keys(table).forEach(function (k) {
            if (!key.startsWith(k, i)) return;
            var j = i + k.length;
            var path = best[i].concat([table[k][0]]);
            if (!best[j] || best[j].length > path.length) best[j] = path;
          });
        });
        return step(i + 1);
      });
    }
    return step(0).then(function (words) {
      if (words && words.length) return words.join("");
      // Initials of a glossary term (xzscl).
      var term = meta.terms.filter(function (tm) {
        return tm[1] === key && key.length >= 2;
      })[0];
      return term ? term[0][0] : null;
    });
  }

  /* --------------------------------------------------------- searching */
  var VERIFY_BATCH = 20;

  // Every candidate, ranked; results are confirmed (exact text) as they are shown.
  function candidates(words) {
    return Promise.all(words.map(wordHits)).then(function (perWord) {
      var total = new Map();
      perWord.forEach(function (scores) {
        scores.forEach(function (s, pid) {
          var e = total.get(pid) || [0, 0];
          e[0] += 1;
          e[1] += s;
          total.set(pid, e);
        });
      });
      var all = Array.from(total.keys());
      var full = all.filter(function (pid) {
        return total.get(pid)[0] === words.length;
      });
      var mode = full.length || words.length === 1 ? "all" : "any";
      var pool = mode === "all" ? full : all;
      pool.sort(function (a, b) {
        var x = total.get(a);
        var y = total.get(b);
        return y[0] - x[0] || y[1] - x[1] || a - b;
      });
      return { pool: pool, mode: mode, perWord: perWord };
    });
  }

  function holds(para, words, mode) {
    var found = words.filter(function (w) {
      return para.folded.indexOf(w) >= 0;
    });
    return mode === "all" ? found.length === words.length : found.length > 0;
  }

  function levenshtein(a, b) {
    a = Array.from(a);
    b = Array.from(b);
    var prev = [];
    for (var j = 0; j <= b.length; j++) prev[j] = j;
    for (var i = 1; i <= a.length; i++) {
      var cur = [i];
      for (j = 1; j <= b.length; j++) {
        cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      }
      prev = cur;
    }
    return prev[b.length];
  }

  // 您是不是要找: the glossary term, else the stretch of text nearest to a word
  // that finds nothing (at most a quarter of its length apart, at least 1),
  // as this site writes it.
  function suggestion(words, missing, nearParas) {
    if (!missing.length) return "";
    var changed = false;
    var out = words.map(function (word) {
      if (missing.indexOf(word) < 0) return word;
      var len = Array.from(word).length;
      var best = null;
      var bestD = Math.max(1, Math.floor(len / 4)) + 1;
      meta.terms.forEach(function (term) {
        term[0].forEach(function (form) {
          var d = levenshtein(word, form);
          if (d < bestD) {
            best = term[4];
            bestD = d;
          }
        });
      });
      if (best === null) {
        nearParas.forEach(function (para) {
          var folded = Array.from(para.folded);
          var shown = Array.from(para.text);
          [len, len - 1, len + 1].forEach(function (size) {
            for (var i = 0; size > 0 && i + size <= folded.length; i++) {
              var piece = folded.slice(i, i + size).join("");
              if (piece === word || !HAN_ONLY.test(piece)) continue;
              var d = levenshtein(word, piece);
              if (d < bestD) {
                best = shown.slice(i, i + size).join("");
                bestD = d;
              }
            }
          });
        });
      }
      if (best === null) return word;
      changed = true;
      return best;
    });
    return changed ? out.join(" ") : "";
  }

  /* --------------------------------------------------- the search page */
  function pageSearch() {
    var results = document.getElementById("search-results");
    var form = document.querySelector("form.reader-search-form");
    var input = form && form.querySelector("input[name=q]");
    if (!results || !input) return;
    var params = new URLSearchParams(window.location.search);
    input.value = params.get("q") || "";
    if (!input.value) input.focus();
    var filters = { src: params.get("src") || "", kind: params.get("kind") || "", from: params.get("from") || "", to: params.get("to") || "" };
    var box = document.createElement("section");
    box.className = "reader-search";
    box.setAttribute("aria-live", "polite");
    results.appendChild(box);
    var generation = 0;

    function buildFilters() {
      var bar = document.createElement("div");
      bar.className = "reader-search-filters";
      function select(name, label, options) {
        var wrap = document.createElement("label");
        wrap.textContent = label + " ";
        var sel = document.createElement("select");
        sel.name = name;
        options.forEach(function (o) {
          var opt = document.createElement("option");
          opt.value = o[0];
          opt.textContent = o[1];
          sel.appendChild(opt);
        });
        sel.value = filters[name];
        sel.addEventListener("change", function () {
          filters[name] = sel.value;
          run();
        });
        wrap.appendChild(sel);
        bar.appendChild(wrap);
        return sel;
      }
      var all = [["", t("all")]];
      // The sources' titles are loaded when the list is opened (or named in the URL).
      var srcSelect = select("src", t("source"), all.concat(filters.src ? [[filters.src, filters.src]] : []));
      var filled = false;
      function fillSources() {
        return load("s").then(function (titles) {
          if (filled) return;
          filled = true;
          srcSelect.textContent = "";
          all.concat(meta.sources.map(function (s, i) { return [s[0], titles[i]]; })).forEach(function (o) {
            var opt = document.createElement("option");
            opt.value = o[0];
            opt.textContent = o[1];
            srcSelect.appendChild(opt);
          });
          srcSelect.value = filters.src;
        });
      }
      ["pointerdown", "focus", "keydown"].forEach(function (ev) {
        srcSelect.addEventListener(ev, fillSources, { once: true });
      });
      if (filters.src) fillSources();
      var kinds = Object.keys(meta.kinds).map(function (k) { return [k, meta.kinds[k]]; });
      select("kind", t("kind"), all.concat(kinds));
      var years = meta.sources
        .map(function (s) { return s[2].slice(0, 4); })
        .filter(function (y, i, a) { return y && a.indexOf(y) === i; })
        .sort()
        .map(function (y) { return [y, t("year", { y: y })]; });
      select("from", t("from"), all.concat(years));
      select("to", t("to"), all.concat(years));
      form.parentNode.insertBefore(bar, results);
    }

    function allowed(pid) {
      var s = sourceOf(pid);
      var year = s.date.slice(0, 4);
      return (
        (!filters.src || s.slug === filters.src) &&
        (!filters.kind || s.kind === filters.kind) &&
        (!filters.from || (year && year >= filters.from)) &&
        (!filters.to || (year && year <= filters.to))
      );
    }

    function setUrl(query) {
      var p = new URLSearchParams();
      if (query) p.set("q", query);
      Object.keys(filters).forEach(function (k) {
        if (filters[k]) p.set(k, filters[k]);
      });
      var url = window.location.pathname + (p.toString() ? "?" + p.toString() : "");
      window.history.replaceState(null, "", url);
    }

    function el(tag, cls, text) {
      var e = document.createElement(tag);
      if (cls) e.className = cls;
      if (text !== undefined) e.textContent = text;
      return e;
    }

    // The displayed text with every word marked (positions from the folded text).
    function marked(parent, text, folded, words, start, end) {
      var ranges = [];
      words.forEach(function (w) {
        var at = folded.indexOf(w, start);
        while (at >= 0 && at < end) {
          ranges.push([at, Math.min(end, at + w.length)]);
          at = folded.indexOf(w, at + w.length);
        }
      });
      ranges.sort(function (a, b) { return a[0] - b[0]; });
      var pos = start;
      ranges.forEach(function (r) {
        if (r[0] < pos) return;
        parent.appendChild(document.createTextNode(text.slice(pos, r[0])));
        parent.appendChild(el("mark", "", text.slice(r[0], r[1])));
        pos = r[1];
      });
      parent.appendChild(document.createTextNode(text.slice(pos, end)));
    }

    function surfaces(para, words) {
      var out = [];
      words.forEach(function (w) {
        var at = para.folded.indexOf(w);
        if (at >= 0) out.push(para.text.slice(at, at + w.length));
      });
      return out;
    }

    function item(para, words) {
      var src = para.source;
      var li = el("li");
      var a = el("a", "reader-search-link", t("hit", { title: para.title, n: para.number }));
      var hl = new URLSearchParams();
      surfaces(para, words).forEach(function (s) { hl.append("hl", s); });
      a.href = root + src.url + "?" + hl.toString() + "#" + para.anchor;
      li.appendChild(a);
      var context = [para.heading, meta.kinds[src.kind], src.date].filter(Boolean).join(" · ");
      li.appendChild(el("span", "reader-search-context", context));
      var first = -1;
      words.forEach(function (w) {
        var at = para.folded.indexOf(w);
        if (at >= 0 && (first < 0 || at < first)) first = at;
      });
      first = Math.max(0, first);
      var start = Math.max(0, first - 40);
      var end = Math.min(para.text.length, first + 90);
      var p = el("p", "reader-search-snippet");
      if (start) p.appendChild(document.createTextNode("…"));
      marked(p, para.text, para.folded, words, start, end);
      if (end < para.text.length) p.appendChild(document.createTextNode("…"));
      li.appendChild(p);
      return li;
    }

    function run() {
      var raw = input.value.trim();
      var mine = ++generation;
      setUrl(raw);
      box.textContent = "";
      if (!raw) return;
      resolvePinyin(raw)
        .then(function (chinese) {
          var query = chinese || raw;
          var words = queryWords(query);
          return candidates(words).then(function (found) {
            return { query: query, chinese: chinese, words: words, found: found };
          });
        })
        .then(function (state) {
          if (mine !== generation) return;
          var pool = state.found.pool.filter(allowed);
          var shown = [];
          var rejected = 0;
          var next = 0;
          var list = el("ol", "reader-search-list");
          var head = el("p", "reader-search-count");
          var moreButton = el("button", "reader-search-more");
          moreButton.type = "button";
          box.textContent = "";
          var py = null;
          if (state.chinese) {
            py = el("p", "reader-search-pinyin", t("pinyin"));
            py.appendChild(el("strong", "", state.chinese));
            box.appendChild(py);
          }
          box.appendChild(head);
          box.appendChild(list);
          box.appendChild(moreButton);

          function confirmMore(want) {
            var batch = [];
            var have = 0;
            function loop() {
              if (have >= want || next >= pool.length) return Promise.resolve();
              var slice = pool.slice(next, next + VERIFY_BATCH);
              next += slice.length;
              return Promise.all(slice.map(paragraph)).then(function (paras) {
                paras.forEach(function (para) {
                  if (holds(para, state.words, state.found.mode)) {
                    batch.push(para);
                    have += 1;
                  } else rejected += 1;
                });
                return loop();
              });
            }
            return loop().then(function () {
              return batch;
            });
          }

          function render(batch) {
            if (mine !== generation) return;
            batch.forEach(function (para) {
              shown.push(para);
              list.appendChild(item(para, state.words));
            });
            var total = pool.length - rejected;
            var exact = next >= pool.length;
            head.textContent = exact ? t("count", { n: total }) : t("count-about", { n: total });
            moreButton.hidden = exact && shown.length >= total;
            moreButton.textContent = t("more", { n: Math.max(0, total - shown.length) });
            if (!shown.length) {
              head.textContent = t("none", { q: state.query });
              moreButton.hidden = true;
            } else if (state.found.mode === "any" && shown.length) {
              head.textContent = t("near") + " " + head.textContent;
            }
            box.dataset.state = "done";
          }

          moreButton.addEventListener("click", function () {
            confirmMore(20).then(render);
          });

          return confirmMore(20).then(function (batch) {
            render(batch);
            // The words a pinyin query spelled, as this site writes them.
            if (py && shown.length) py.lastChild.textContent = surfaces(shown[0], state.words).join(" ");
            // A word that finds nothing exactly gets a suggestion.
            var missing = state.words.filter(function (w) {
              return !shown.some(function (p) { return p.folded.indexOf(w) >= 0; });
            });
            if (!missing.length || mine !== generation) return;
            var near = new Set();
            state.found.perWord.forEach(function (scores) {
              Array.from(scores.keys()).slice(0, 10).forEach(function (pid) { near.add(pid); });
            });
            return Promise.all(
              missing.map(function (w) {
                return Promise.all(wordTokens(w).map(postings)).then(function (lists) {
                  var count = new Map();
                  lists.forEach(function (pl) {
                    pl.forEach(function (p) { count.set(p[0], (count.get(p[0]) || 0) + 1); });
                  });
                  Array.from(count.keys())
                    .sort(function (a, b) { return count.get(b) - count.get(a) || a - b; })
                    .slice(0, 10)
                    .forEach(function (pid) { near.add(pid); });
                });
              })
            )
              .then(function () {
                return Promise.all(Array.from(near).map(paragraph));
              })
              .then(function (paras) {
                var better = suggestion(state.words, missing, paras);
                if (!better || mine !== generation) return;
                var p = el("p", "reader-search-suggest", t("suggest"));
                var a = el("a", "", better);
                a.href = "?q=" + encodeURIComponent(better);
                a.addEventListener("click", function (e) {
                  e.preventDefault();
                  input.value = better;
                  run();
                });
                p.appendChild(a);
                box.insertBefore(p, box.firstChild);
              });
          });
        })
        .catch(function (err) {
          box.textContent = String(err.message || err);
        });
    }

    var status = el("p", "reader-search-loading", t("loading"));
    box.appendChild(status);
    loadMeta().then(function () {
      box.textContent = "";
      buildFilters();
      var timer = null;
      // Search as you type, once the index is loaded.
      input.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(run, 150);
      });
      form.addEventListener("submit", function (e) {
        e.preventDefault();
        clearTimeout(timer);
        run();
      });
      run();
    });
  }

  /* ---------------------------------------- marks on a reading page */
  function markHits() {
    var wanted = new URLSearchParams(window.location.search).getAll("hl").filter(Boolean);
    if (!wanted.length) return;
    var blocks = document.querySelectorAll(".bd-article .reader-block > [id]");
    var hits = [];
    blocks.forEach(function (block) {
      if (!/^p[0-9]+[a-z]*$/.test(block.id)) return;
      // Text nodes with their offsets: a word may run across a glossary link.
      var walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
      var nodes = [];
      var text = "";
      var n;
      while ((n = walker.nextNode())) {
        nodes.push([n, text.length]);
        text += n.data;
      }
      var ranges = [];
      wanted.forEach(function (w) {
        var at = text.indexOf(w);
        while (at >= 0) {
          ranges.push([at, at + w.length]);
          at = text.indexOf(w, at + w.length);
        }
      });
      ranges.sort(function (a, b) { return a[0] - b[0]; });
      var last = -1;
      ranges = ranges.filter(function (r) {
        var ok = r[0] >= last;
        if (ok) last = r[1];
        return ok;
      });
      // Wrap from the end so earlier offsets stay valid.
      for (var r = ranges.length - 1; r >= 0; r--) {
        var group = [];
        for (var k = nodes.length - 1; k >= 0; k--) {
          var node = nodes[k][0];
          var off = nodes[k][1];
          var s = Math.max(ranges[r][0], off);
          var e = Math.min(ranges[r][1], off + node.data.length);
          if (s >= e) continue;
          var range = document.createRange();
          range.setStart(node, s - off);
          range.setEnd(node, e - off);
          var mark = document.createElement("mark");
          mark.className = "reader-hit";
          range.surroundContents(mark);
          group.unshift(mark);
        }
        hits.unshift({ block: block, marks: group });
      }
    });
    if (!hits.length) return;
    var target = window.location.hash.slice(1);
    var current = 0;
    hits.some(function (h, i) {
      if (h.block.id === target) {
        current = i;
        return true;
      }
      return false;
    });
    var bar = document.createElement("div");
    bar.className = "reader-hit-bar";
    bar.setAttribute("role", "region");
    bar.setAttribute("aria-label", t("hits"));
    var label = document.createElement("span");
    label.className = "reader-hit-count";
    label.setAttribute("aria-live", "polite");
    function button(cls, text, fn) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = cls;
      b.textContent = text;
      b.addEventListener("click", fn);
      bar.appendChild(b);
      return b;
    }
    function show(i, scroll) {
      hits[current].marks.forEach(function (m) { m.classList.remove("reader-hit-current"); });
      current = (i + hits.length) % hits.length;
      hits[current].marks.forEach(function (m) { m.classList.add("reader-hit-current"); });
      label.textContent = t("position", { i: current + 1, n: hits.length });
      if (scroll) hits[current].marks[0].scrollIntoView({ block: "center" });
    }
    bar.appendChild(label);
    button("reader-hit-prev", t("prev"), function () { show(current - 1, true); });
    button("reader-hit-next", t("next"), function () { show(current + 1, true); });
    button("reader-hit-close", "×", function () {
      hits.forEach(function (h) {
        h.marks.forEach(function (m) {
          m.classList.remove("reader-hit", "reader-hit-current");
        });
      });
      bar.remove();
    }).setAttribute("aria-label", t("close"));
    document.body.appendChild(bar);
    show(current, false);
  }

  function start() {
    if (document.querySelector("form.reader-search-form")) pageSearch();
    else markHits();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
