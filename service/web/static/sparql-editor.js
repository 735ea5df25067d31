/* The SPARQL editor page: Yasqe (editor) and Yasr (results) from the self-hosted
   @zazuko/yasgui bundle, set up so that the page never talks to another host:
   - the stock class and property completers ask lov.linkeddata.es and the prefix completer
     can ask prefix.cc; they are replaced in Yasqe.defaults.autocompleters BEFORE the editor is
     constructed by completers that read /api/vocabulary (our own data);
   - queries go to this site's /sparql only;
   - nothing is persisted in localStorage; the query lives in the URL (#query=…) to share it.
   Data values are shown as text by Yasr's table (it escapes) and by our own plugins. */
(function () {
  "use strict";

  var configElement = document.getElementById("editor-config");
  if (!configElement || !window.Yasgui) return;
  var config = JSON.parse(configElement.textContent);
  var texts = config.texts || {};
  var yasrTexts = config.yasr || {};
  window.StadtgraphEditor = { texts: texts };

  var Yasgui = window.Yasgui;
  var Yasqe = Yasgui.Yasqe;
  var Yasr = Yasgui.Yasr;
  var EMPTY = { prefixes: {}, classes: [], properties: [] };

  /* -- completion from our own vocabulary ------------------------------------------------ */

  var vocabularyRequest = null;
  function vocabulary() {
    if (!vocabularyRequest) {
      vocabularyRequest = fetch(config.vocabulary, { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : EMPTY; })
        .catch(function () { return EMPTY; });
    }
    return vocabularyRequest;
  }

  function termCompleter(stock, name, key) {
    return Object.assign({}, Yasqe.Autocompleters[stock], {
      name: name,
      bulk: false,
      persistenceId: null,
      get: function (yasqe, token) {
        var wanted = (token && token.autocompletionString) || "";
        return vocabulary().then(function (terms) {
          return terms[key].map(function (term) { return term.iri; })
            .filter(function (iri) { return iri.indexOf(wanted) === 0; });
        });
      }
    });
  }

  var completers = [
    Object.assign({}, Yasqe.Autocompleters.prefixes, {
      name: "stadtgraph-prefixes",
      persistenceId: null,
      get: function () {
        return vocabulary().then(function (terms) {
          return Object.keys(terms.prefixes).sort().map(function (prefix) {
            return prefix + ": <" + terms.prefixes[prefix] + ">";
          });
        });
      }
    }),
    termCompleter("class", "stadtgraph-classes", "classes"),
    termCompleter("property", "stadtgraph-properties", "properties")
  ];
  completers.forEach(function (completer) {
    Yasqe.registerAutocompleter(completer, false);
  });
  // Only ours and the local variable completer; the stock ones must never be enabled.
  Yasqe.defaults.autocompleters = completers.map(function (c) { return c.name; }).concat(["variables"]);
  ["prefixes", "class", "property"].forEach(function (name) { delete Yasqe.Autocompleters[name]; });
  Yasqe.defaults.prefixCcApi = null;

  if (window.StadtgraphResults) window.StadtgraphResults.register();
  if (Yasr.plugins.table && Yasr.plugins.table.defaults) {
    var tableLanguage = Object.assign({}, Yasr.plugins.table.defaults.tableConfig.language);
    if (document.documentElement.lang === "de") {
      Object.assign(tableLanguage, {
        info: "_START_ bis _END_ von _TOTAL_ Zeilen",
        infoEmpty: "Keine Zeilen",
        infoFiltered: "(gefiltert aus _MAX_ Zeilen)",
        emptyTable: "Keine Ergebnisse",
        zeroRecords: "Keine passenden Zeilen"
      });
    }
    // The names screen readers hear for the sort and paging buttons of the results table.
    tableLanguage.aria = Object.assign({}, tableLanguage.aria, {
      orderable: yasrTexts.sort,
      orderableReverse: yasrTexts.sortReverse,
      orderableRemove: yasrTexts.sortRemove,
      paginate: {
        first: yasrTexts.first, previous: yasrTexts.previous,
        next: yasrTexts.next, last: yasrTexts.last
      }
    });
    Yasr.plugins.table.defaults.tableConfig.language = tableLanguage;
  }

  /* Yasr's table uses column-resizer, which adds <style> elements the CSP refuses. It skips a
     stylesheet when <head> already holds a "style" element tagged with the hash of that CSS.
     A placeholder in a foreign namespace matches its querySelectorAll("style") without being a
     stylesheet, so nothing inline is ever applied; the rules themselves are in
     sparql-editor.css. If a new version changes its CSS, the hashes no longer match, the
     library adds its <style> again and the browser tests fail on the CSP console error. */
  var RESIZER_CSS = [
    " .grip-resizable{table-layout:fixed;} .grip-resizable > tbody > tr > td, .grip-resizable > tbody > tr > th{overflow:hidden} .grip-padding > tbody > tr > td, .grip-padding > tbody > tr > th{padding-left:0!important; padding-right:0!important;} .grip-container{ height:0px; position:relative;} .grip-handle{margin-left:-5px; position:absolute; z-index:5; } .grip-handle .grip-resizable{position:absolute;background-color:red;filter:alpha(opacity=1);opacity:0;width:10px;height:100%;cursor: col-resize;top:0px} .grip-lastgrip{position:absolute; width:1px; } .grip-drag{ border-left:1px dotted black;\t} .grip-flex{width:auto!important;} .grip-handle.grip-disabledgrip .grip-resizable{cursor:default; display:none;}",
    "*{cursor:col-resize!important}"
  ];
  function resizerHash(text) {
    var hash = 5381;
    for (var i = text.length; i;) hash = (33 * hash) ^ text.charCodeAt(--i);
    return String(hash >>> 0);
  }
  RESIZER_CSS.forEach(function (css) {
    var placeholder = document.createElementNS("urn:stadtgraph:placeholder", "style");
    placeholder.gripid = resizerHash(css);
    document.head.appendChild(placeholder);
  });

  /* -- the editor and the results -------------------------------------------------------- */

  var fallback = document.getElementById("editor-fallback");
  var app = document.getElementById("editor-app");
  var truncation = document.getElementById("truncation");
  var queryCheck = document.getElementById("query-check");
  var resultStatus = document.getElementById("result-status");
  var resultTitle = document.getElementById("result-title");
  var shareInput = document.getElementById("share-link");
  var downloadCsv = document.getElementById("download-csv");
  var downloadJson = document.getElementById("download-json");
  var select = document.getElementById("example-select");
  var examplePage = document.getElementById("example-page");
  var examples = {};
  (config.examples || []).forEach(function (example) { examples[example.name] = example; });

  fallback.hidden = true;
  app.hidden = false;

  var yasqe = new Yasqe(document.getElementById("yasqe"), {
    value: config.initial,
    persistenceId: null,
    resizeable: true,
    editorHeight: "16rem",
    lineWrapping: true,  // long lines wrap before the share and run buttons (see the CSS)
    requestConfig: {
      endpoint: config.endpoint,
      method: "POST",
      acceptHeaderSelect: "application/sparql-results+json",
      acceptHeaderGraph: "text/turtle",
      acceptHeaderUpdate: "text/plain"
    },
    // The share popup builds its link from this page's own address only.
    createShareableLink: function (editor) { return shareUrl(editor.getValue()); },
    createShortLink: undefined
  });

  var yasr = new Yasr(document.getElementById("yasr"), {
    persistenceId: null,
    prefixes: function () { return yasqe.getPrefixesFromQuery(); },
    pluginOrder: ["table", "boolean", "response", "chart", "graph", "error"],
    defaultPlugin: "table",
    getPlainQueryLinkToEndpoint: function () { return resultUrl("json"); }
  });

  // Yasr names its two stock views in English; name them in the page's language.
  [["table", texts.table], ["response", texts.response]].forEach(function (pair) {
    var label = yasr.headerEl.querySelector(".select_" + pair[0] + " span");
    if (label && pair[1]) label.textContent = pair[1];
    if (yasr.plugins[pair[0]] && pair[1]) yasr.plugins[pair[0]].label = pair[1];
  });

  // Tab and Shift+Tab move on to the next and previous control instead of indenting, so
  // the editor is no keyboard trap (WCAG 2.1.2). Ctrl+. and Ctrl+, indent and outdent: they
  // sit on the same keys on German and English keyboards (CodeMirror's own Ctrl+] and
  // Ctrl+[ go by key position, which on a German keyboard are ´ and ß). Enter indents a new
  // line by itself; an open completion list still takes Tab to pick its entry.
  yasqe.setOption("extraKeys", Object.assign({}, yasqe.getOption("extraKeys"), {
    Tab: false,
    "Shift-Tab": false,
    "Ctrl-.": "indentMore",
    "Ctrl-,": "indentLess"
  }));

  // The editor's text area and share button get names in the page's language (Yasqe
  // resets its run button's English name on every change; ours below it is localised).
  yasqe.getInputField().setAttribute("aria-label", texts.queryLabel || "SPARQL");
  yasqe.getInputField().setAttribute("aria-describedby", "query-check");
  var shareButton = yasqe.getWrapperElement().querySelector(".yasqe_share");
  if (shareButton && texts.share) {
    shareButton.setAttribute("aria-label", texts.share);
    shareButton.title = texts.share;
  }

  /* -- Yasqe's and Yasr's own controls in the page's language ------------------------------
     The library writes its controls' names in English, and writes some of them again later
     (Yasqe its run button on every edit, Yasr its header and table controls on every draw).
     An observer on the editor renames them whenever that happens, with textContent and
     setAttribute only; it changes a node only when the name differs, so its own changes end
     the round. It also points IRIs of ours in the results table at their pages here. */

  var ENGLISH_NAMES = {
    "Run query": yasrTexts.run,
    "Press CTRL - <spacebar> to autocomplete": yasrTexts.complete,
    "Simple view": yasrTexts.simpleView,
    "Ellipse": yasrTexts.ellipsis,
    "Filter query results": yasrTexts.filter,
    "Show all": yasrTexts.showAll,
    "Download result": yasrTexts.download,
    "Download Results": yasrTexts.download,
    "Download not supported": yasrTexts.noDownload,
    "Try query in a new browser window": yasrTexts.tryQuery,
    "pagination": yasrTexts.pages,
    "All": yasrTexts.all
  };
  var language = document.documentElement.lang || "de";

  function setText(node, value) {
    if (node && value && node.textContent !== value) node.textContent = value;
  }

  function setAttribute(node, name, value) {
    if (node && value && node.getAttribute(name) !== value) node.setAttribute(name, value);
  }

  function fill(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, function (all, key) {
      return key in values ? String(values[key]) : all;
    });
  }

  /* Controls Yasr leaves without a name for screen readers: the page-size list (its caption
     is a span, not a label), the row-number column's empty header and the read-only text of
     the raw response. */
  function nameUnnamedControls(yasrRoot) {
    setAttribute(yasrRoot.querySelector(".tableSizer"), "aria-label", yasrTexts.pageSizeName);
    yasrRoot.querySelectorAll("th.dt-orderable-none .dt-column-title:empty").forEach(function (title) {
      var name = document.createElement("span");
      name.className = "visually-hidden";
      name.textContent = yasrTexts.rowNumber;
      title.appendChild(name);
    });
    yasrRoot.querySelectorAll(".CodeMirror textarea[readonly]").forEach(function (area) {
      setAttribute(area, "aria-label", yasrTexts.rawResponse);
    });
    // The filter field is named by its placeholder only, which goes once one types: it gets
    // a visible label.
    var filter = yasrRoot.querySelector("input.tableFilter");
    if (filter && !filter.id) {
      filter.id = "result-filter";
      var label = document.createElement("label");
      label.className = "filter-label";
      label.htmlFor = filter.id;
      label.textContent = yasrTexts.filter;
      filter.parentNode.insertBefore(label, filter);
    }
  }

  /* A view that cannot draw the result (a chart of a yes/no answer) makes Yasr say so in
     English, with a link to its maker's documentation on another host; one sentence in the
     page's language replaces both. */
  function explainFallback(yasrRoot) {
    var note = yasrRoot.querySelector(".yasr_fallback_info p");
    if (!note) return;
    var found = /^Could not render results with the (.+?) plugin, the results currently are rendered with the (.+?) plugin\./
      .exec(note.textContent);
    if (found) setText(note, fill(yasrTexts.fallback, { selected: found[1], shown: found[2] }));
  }

  function renameAttributes(node) {
    ["title", "aria-label", "placeholder"].forEach(function (name) {
      var value = node.getAttribute(name);
      if (!value) return;
      if (ENGLISH_NAMES[value]) setAttribute(node, name, ENGLISH_NAMES[value]);
    });
  }

  /* The endpoint answers an error with JSON ({"status", "message"}); Yasr shows that raw.
     The reader gets one sentence in the page's language instead, with line and column for a
     syntax error (the engine's own reason stays as it gave it). */
  function endpointError() {
    var results = yasr.results;
    if (!results || !results.hasError()) return null;
    var error = results.getError() || {};
    var body = null;
    try { body = JSON.parse(error.text || ""); } catch (ignored) { body = null; }
    if (!body || typeof body.message !== "string") return null;
    var status = body.status || error.status || "";
    var syntax = /syntax error at line (\d+), column (\d+): ([\s\S]*)$/i.exec(body.message);
    var sentence = syntax
      ? fill(yasrTexts.syntaxError, { line: syntax[1], column: syntax[2], reason: syntax[3] })
      : fill(yasrTexts.refused, { status: status, message: body.message });
    return { status: status, sentence: sentence, raw: error.text };
  }

  function explainEndpointError() {
    var shown = yasr.rootEl.querySelector(".errorResult pre");
    var error = endpointError();
    if (shown && error && shown.textContent === error.raw) {
      shown.textContent = error.sentence;
      shown.classList.add("sg-error");
    }
  }

  function localiseBoolean() {
    var answer = yasr.rootEl.querySelector(".booleanResult span");
    if (!answer) return;
    var words = { "True": yasrTexts["true"], "False": yasrTexts["false"] };
    if (words[answer.textContent]) setText(answer, words[answer.textContent]);
  }

  function responseInfo() {
    var results = yasr.results;
    if (!results) return "";
    var failure = endpointError();
    if (failure) return fill(yasrTexts.failed, { status: failure.status });
    var bindings = results.getBindings();
    var text = "";
    if (bindings) {
      text = bindings.length === 1 ? yasrTexts.resultsOne
        : fill(yasrTexts.results, { count: bindings.length.toLocaleString(language) });
    }
    var time = results.getResponseTime();
    if (time) {
      text = fill(yasrTexts.time, {
        text: text || yasrTexts.response,
        seconds: (time / 1000).toLocaleString(language)
      });
    }
    return text;
  }

  var idBase = config.idBase || "";
  function linkIri(link) {
    var href = link.getAttribute("href") || "";
    var path = href.indexOf(idBase) === 0 ? href.slice(idBase.length) : null;
    if (idBase && path && /^[^?#]+$/.test(path)) {
      // One of ours: its page on this site, in this tab.
      link.setAttribute("href", config.entityPage.replace("__path__", path));
      link.removeAttribute("target");
      link.removeAttribute("rel");
      link.setAttribute("title", href);
    } else if (/^[a-z][a-z0-9+.-]*:/i.test(href)) {
      setAttribute(link, "target", "_blank");
      setAttribute(link, "rel", "noopener noreferrer");
      // Screen readers say that the link leaves the results open in this window.
      if (!link.querySelector(".visually-hidden") && yasrTexts.newWindow) {
        var note = document.createElement("span");
        note.className = "visually-hidden";
        note.textContent = " " + yasrTexts.newWindow;
        link.appendChild(note);
      }
    }
  }

  /* A literal with a language tag ("Frage 6"@de) is read in its own language on a page in
     another (WCAG 3.1.2); Yasr writes the tag as the cell's last <sup>. */
  function markLanguage(cell) {
    var tag = cell.lastElementChild;
    var found = tag && tag.tagName === "SUP" && /^@([a-zA-Z]{2,8}(?:-[a-zA-Z0-9]{1,8})*)$/.exec(tag.textContent);
    if (found && cell.getAttribute("lang") !== found[1]) cell.setAttribute("lang", found[1]);
  }

  /* Yasqe marks a line with a syntax error and explains it in a tooltip it writes as HTML,
     in English, with inline styles the page's CSP refuses. Each new marker gets our own
     tooltip instead, built from the same parser state with DOM methods only. */
  function explainSyntaxErrors() {
    var first = null;
    for (var line = 0; line < yasqe.lineCount(); line++) {
      var info = yasqe.lineInfo(line);
      var marker = info && info.gutterMarkers && info.gutterMarkers.gutterErrorBar;
      if (!marker) continue;
      if (marker.stadtgraphExplained) {
        if (!first) first = { line: line, text: marker.stadtgraphExplained };
        continue;
      }
      var state = yasqe.getTokenAt({ line: line, ch: yasqe.getLine(line).length }, true).state;
      var tip = document.createElement("div");
      tip.className = "yasqe_tooltip";
      var prefix = state.errorMsg && /^Prefix '(.*)' is not defined$/.exec(state.errorMsg);
      if (prefix) {
        tip.textContent = fill(yasrTexts.undefinedPrefix, { prefix: prefix[1] });
      } else if (state.errorMsg) {
        tip.textContent = state.errorMsg;
      } else {
        tip.appendChild(document.createTextNode(yasrTexts.invalidLine));
        var tokens = (state.possibleCurrent || []).filter(function (token) { return token; });
        if (tokens.length) tip.appendChild(document.createTextNode(" " + yasrTexts.expected + " "));
        tokens.forEach(function (token, index) {
          if (index) tip.appendChild(document.createTextNode(", "));
          var expected = document.createElement("strong");
          expected.className = "expected-token";
          expected.textContent = token;
          tip.appendChild(expected);
        });
      }
      marker.stadtgraphExplained = tip.textContent;
      if (!first) first = { line: line, text: tip.textContent };
      marker.onmouseover = (function (target, text) {
        return function () { text.style.display = "block"; target.appendChild(text); };
      })(marker, tip);
      marker.onmouseout = (function (text) {
        return function () { text.style.display = "none"; };
      })(tip);
    }
    describeSyntaxProblem(first);
  }

  /* The gutter's explanation shows on hover only; keyboard and screen-reader users read the
     first problem below the editor, which the text area names as its description. It is
     not announced on every keystroke (a query being typed is mostly incomplete). */
  function describeSyntaxProblem(first) {
    var input = yasqe.getInputField();
    var text = first ? fill(yasrTexts.lineProblem, { line: first.line + 1, text: first.text }) : "";
    // Only real changes: the observer that calls this watches the editor's nodes.
    if (queryCheck.textContent !== text) queryCheck.textContent = text;
    if (queryCheck.hidden !== !text) queryCheck.hidden = !text;
    if (text) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  }

  function localise() {
    var yasqeButton = yasqe.getWrapperElement().querySelector(".yasqe_queryButton");
    if (yasqeButton) {
      setAttribute(yasqeButton, "title", yasrTexts.run);
      setAttribute(yasqeButton, "aria-label", yasrTexts.run);
    }
    yasqe.getWrapperElement().querySelectorAll(".notification").forEach(function (node) {
      if (ENGLISH_NAMES[node.textContent]) setText(node, ENGLISH_NAMES[node.textContent]);
    });
    var yasrRoot = yasr.rootEl;
    Object.keys(yasr.plugins).forEach(function (name) {
      var button = yasr.headerEl.querySelector(".select_" + name);
      var label = yasr.plugins[name].label || name;
      setAttribute(button, "title", label);
      setAttribute(button, "aria-label", fill(yasrTexts.view, { view: label }));
    });
    yasrRoot.querySelectorAll(".yasr_header [title], .yasr_header [aria-label], .tableControls [title], "
      + ".tableControls [aria-label], .tableControls [placeholder], .overlay_btn, nav[aria-label]")
      .forEach(renameAttributes);
    yasrRoot.querySelectorAll(".tableControls .switch > .label, .overlay_btn, .overlay_btn > span, "
      + ".yasr_tryQuery, .tableSizer option").forEach(function (node) {
      if (node.children.length === 0 && ENGLISH_NAMES[node.textContent]) setText(node, ENGLISH_NAMES[node.textContent]);
    });
    setText(yasrRoot.querySelector(".pageSizerLabel"), yasrTexts.pageSize ? yasrTexts.pageSize + " " : "");
    nameUnnamedControls(yasrRoot);
    explainFallback(yasrRoot);
    explainSyntaxErrors();
    explainEndpointError();
    localiseBoolean();
    var chip = yasr.headerEl.querySelector(".yasr_response_chip");
    if (chip && chip.textContent !== responseInfo()) chip.textContent = responseInfo();
    yasrRoot.querySelectorAll("a.iri").forEach(linkIri);
    yasrRoot.querySelectorAll("span.nonIri").forEach(markLanguage);
  }

  localise();
  new MutationObserver(localise).observe(app, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ["title", "aria-label", "placeholder", "href"]
  });

  window.StadtgraphEditor.yasqe = yasqe;
  window.StadtgraphEditor.yasr = yasr;

  function shareUrl(query) {
    var here = window.location;
    return here.origin + here.pathname + "#query=" + encodeURIComponent(query);
  }

  function isGraphQuery() {
    var type = (yasqe.getQueryType() || "").toUpperCase();
    return type === "CONSTRUCT" || type === "DESCRIBE";
  }

  function resultUrl(format) {
    return config.endpoint + "?" + new URLSearchParams({ query: yasqe.getValue(), format: format });
  }

  function refreshLinks() {
    var query = yasqe.getValue();
    shareInput.value = shareUrl(query);
    var graph = isGraphQuery();
    downloadCsv.textContent = graph ? "Turtle" : texts.downloadCsv;
    downloadCsv.href = resultUrl(graph ? "ttl" : "csv");
    downloadCsv.setAttribute("download", graph ? "stadtgraph-result.ttl" : "stadtgraph-result.csv");
    downloadJson.href = resultUrl(graph ? "jsonld" : "json");
    downloadJson.setAttribute("download", graph ? "stadtgraph-result.jsonld" : "stadtgraph-result.json");
  }

  function remember() {
    var url = shareUrl(yasqe.getValue());
    if (url !== window.location.href) window.history.replaceState(null, "", url);
  }

  function showTruncation(response) {
    var headers = response && response.headers;
    var flag = headers && typeof headers.get === "function" ? headers.get("X-Stadtgraph-Truncated") : null;
    if (flag === "true") {
      var limit = headers.get("X-Stadtgraph-Result-Limit") || "?";
      truncation.textContent = String(texts.truncated || "").replace("{limit}", limit);
      truncation.hidden = false;
    } else {
      truncation.textContent = "";
      truncation.hidden = true;
    }
  }

  yasqe.on("queryResponse", function (editor, response, duration) {
    showTruncation(response);
    yasr.setResponse(response, duration);
    announce();
  });

  /* Says what a run brought, in a status region, without moving the focus: the number of
     results and the time, the yes/no answer, or the error in one sentence. */
  function announce() {
    var results = yasr.results;
    if (!results) return;
    resultTitle.hidden = false;
    var failure = endpointError();
    var text;
    if (failure) text = failure.sentence;
    else if (results.hasError()) text = fill(yasrTexts.failed, { status: (results.getError() || {}).status || "" });
    else if (typeof results.getBoolean() === "boolean") {
      text = fill(yasrTexts.answer, { answer: yasrTexts[results.getBoolean() ? "true" : "false"] });
    } else text = responseInfo();
    resultStatus.textContent = text;
  }
  yasqe.on("query", function () {
    truncation.hidden = true;
    resultStatus.textContent = "";
    remember();
  });
  yasqe.on("change", refreshLinks);

  document.getElementById("run-query").addEventListener("click", function () {
    yasqe.query().catch(function () { /* Yasr shows the error */ });
  });

  select.addEventListener("change", function () {
    var example = examples[select.value];
    if (!example) return;
    yasqe.setValue(example.sparql);
    examplePage.href = config.queryPage.replace("__name__", encodeURIComponent(example.name));
    remember();  // the focus stays on the list, so arrow keys can browse the examples
  });
  if (examples[select.value]) {
    examplePage.href = config.queryPage.replace("__name__", encodeURIComponent(select.value));
  }

  shareInput.addEventListener("focus", function () { shareInput.select(); });
  refreshLinks();
})();
