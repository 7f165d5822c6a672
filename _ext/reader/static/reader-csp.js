// Sphinx's doctools.js turns a translation catalogue's plural rule into code with
// new Function(), which the site's Content-Security-Policy forbids (no
// 'unsafe-eval'): the page logged an error and kept no plural rule.  The rules
// of the catalogues used here are constants (Chinese: "0"); anything else falls
// back to the English rule.  Loaded after doctools.js, before translations.js.
(function () {
  // doctools.js declares it with const: a global binding, not a window property.
  if (typeof Documentation === "undefined") return;
  Documentation.addTranslations = function (catalog) {
    Object.assign(Documentation.TRANSLATIONS, catalog.messages);
    var rule = String(catalog.plural_expr).trim();
    Documentation.PLURAL_EXPR = /^\d+$/.test(rule)
      ? function () { return Number(rule); }
      : function (n) { return n === 1 ? 0 : 1; };
    Documentation.LOCALE = catalog.locale;
  };
})();
