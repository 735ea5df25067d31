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
  if (document.documentElement.lang === "de" && Yasr.plugins.table && Yasr.plugins.table.defaults) {
    Yasr.plugins.table.defaults.tableConfig.language = Object.assign(
      {}, Yasr.plugins.table.defaults.tableConfig.language, {
        info: "_START_ bis _END_ von _TOTAL_ Zeilen",
        infoEmpty: "Keine Zeilen",
        infoFiltered: "(gefiltert aus _MAX_ Zeilen)",
        emptyTable: "Keine Ergebnisse",
        zeroRecords: "Keine passenden Zeilen"
      });
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
    pluginOrder: ["table", "response", "chart", "graph"],
    defaultPlugin: "table",
    getPlainQueryLinkToEndpoint: function () { return resultUrl("json"); }
  });

  // Yasr names its two stock views in English; name them in the page's language.
  [["table", texts.table], ["response", texts.response]].forEach(function (pair) {
    var label = yasr.headerEl.querySelector(".select_" + pair[0] + " span");
    if (label && pair[1]) label.textContent = pair[1];
    if (yasr.plugins[pair[0]] && pair[1]) yasr.plugins[pair[0]].label = pair[1];
  });

  // The editor's text area and share button get names in the page's language (Yasqe
  // resets its run button's English name on every change; ours below it is localised).
  yasqe.getInputField().setAttribute("aria-label", texts.queryLabel || "SPARQL");
  var shareButton = yasqe.getWrapperElement().querySelector(".yasqe_share");
  if (shareButton && texts.share) {
    shareButton.setAttribute("aria-label", texts.share);
    shareButton.title = texts.share;
  }

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
  });
  yasqe.on("query", function () {
    truncation.hidden = true;
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
    remember();
    yasqe.focus();
  });
  if (examples[select.value]) {
    examplePage.href = config.queryPage.replace("__name__", encodeURIComponent(select.value));
  }

  shareInput.addEventListener("focus", function () { shareInput.select(); });
  refreshLinks();
})();
