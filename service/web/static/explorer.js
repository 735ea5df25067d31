/* Stadtgraph explorer — the view's state, loading from the JSON APIs, and the controls.
   The URL holds the whole view (focus, depth, filters, layout, selection, expansions, path),
   so a link shares it; undo restores the previous graph exactly. Exposes
   window.stadtgraphExplorer for the browser tests. */
(function () {
  "use strict";

  var root = document.getElementById("explorer");
  var container = document.getElementById("cy");
  if (!root || !container || !window.cytoscape || !window.fetch) return;
  var G = window.StadtgraphGraph;
  var P = window.StadtgraphPanels;
  var config = JSON.parse(document.getElementById("explorer-config").textContent);
  var S = config.strings;
  var EXPAND_CAP = 50;
  var UNDO_DEPTH = 20;

  root.classList.add("js");
  G.register();
  var cy = window.cytoscape({
    container: container,
    style: G.style(),
    minZoom: 0.05,
    maxZoom: 4,
    boxSelectionEnabled: false,
    selectionType: "single"
  });

  var api = {
    cy: cy, idle: false, loads: 0, error: null, lastView: null,
    get state() { return state; }
  };
  window.stadtgraphExplorer = api;

  var state = readState(window.location.search);
  // A focus the page found outside the involvement graph: the page explains, we show it all.
  if (config.outside && (state.focus || "").trim() === config.outside) state.focus = null;
  var pageError = config.pageError || null;
  var refused = { search: null, error: pageError };  // the first view's address, once written
  var undoStack = [];
  var available = { kinds: {}, relations: {} };
  var pathEnds = {};  // the path finder's two comboboxes, by "from" and "to"
  var written = null;  // the query string writeState wrote last

  /* Panels rebuilt while the focus is in them hand it to their heading, never to <body>. */
  var details = document.getElementById("explorer-details");
  var detailsTitle = document.getElementById("details-title");
  function inDetails(render) { return P.keepFocus(details, detailsTitle, render); }

  // -- state and URL ------------------------------------------------------------------------

  function readState(search) {
    var q = new URLSearchParams(search);
    var list = function (name) {
      return q.getAll(name).join(",").split(",").map(function (s) { return s.trim(); }).filter(Boolean);
    };
    var depth = parseInt(q.get("depth") || "1", 10);
    return {
      focus: q.get("focus") || null,
      depth: depth >= 0 && depth <= config.maxDepth ? depth : 1,
      types: list("types"),
      relations: list("relations"),
      layout: ["force", "concentric", "breadthfirst"].indexOf(q.get("layout")) >= 0 ? q.get("layout") : "force",
      sel: q.get("sel") || null,
      from: q.get("from") || null,
      to: q.get("to") || null,
      x: q.getAll("x").filter(Boolean),
      limit: /^\d+$/.test(q.get("limit") || "") ? q.get("limit") : null,
      q: (q.get("q") || "").trim() || null  // the search whose results the page lists
    };
  }

  function copy(value) { return JSON.parse(JSON.stringify(value)); }

  /* The query of the view itself (what /api/graph and the exports take). */
  function viewParams(withLang) {
    var q = new URLSearchParams();
    if (state.focus) q.set("focus", state.focus);
    if (state.focus) q.set("depth", String(state.depth));
    if (state.types.length) q.set("types", state.types.join(","));
    if (state.relations.length) q.set("relations", state.relations.join(","));
    if (state.limit) q.set("limit", state.limit);
    if (withLang) q.set("lang", config.lang);
    return q;
  }

  function stateParams() {
    var q = viewParams(false);
    if (state.layout !== "force") q.set("layout", state.layout);
    state.x.forEach(function (x) { q.append("x", x); });
    if (state.from && state.to) { q.set("from", state.from); q.set("to", state.to); }
    if (state.sel) q.set("sel", state.sel);
    if (state.q) q.set("q", state.q);
    return q;
  }

  function writeState(push) {
    var url = window.location.pathname + "?" + stateParams().toString();
    if (push) window.history.pushState(null, "", url); else window.history.replaceState(null, "", url);
    written = window.location.search;
    document.querySelectorAll(".language-switch a[hreflang]").forEach(function (a) {
      var q = stateParams();
      q.set("lang", a.getAttribute("hreflang"));
      a.href = window.location.pathname + "?" + q.toString();
    });
    ["graphml", "gexf", "cyjs"].forEach(function (fmt) {
      var a = document.getElementById("export-" + fmt);
      if (a) a.href = config.api.export + "." + fmt + "?" + viewParams(true).toString();
    });
    document.getElementById("explorer-layout").value = state.layout;
    document.getElementById("explorer-depth").value = String(Math.max(1, state.depth));
  }

  // -- talking to the server ------------------------------------------------------------------

  function getJson(base, params) {
    return fetch(base + "?" + params.toString(), { headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.json().then(function (body) {
          if (!response.ok) throw new Error(body.message || response.statusText);
          return body;
        });
      });
  }

  function say(text) { document.getElementById("explorer-status").textContent = text; }

  function busy(promise) {
    api.idle = false;
    api.error = null;
    return promise.then(function (value) {
      api.loads += 1;
      api.idle = true;
      return value;
    }, function (error) {
      api.error = String(error.message || error);
      say(P.fill(S["explorer.error"], { message: api.error }));
      api.idle = true;
    });
  }

  /* Add elements the graph does not have yet; return the added collection. */
  function addNew(elements, centre) {
    var fresh = (elements.nodes || []).filter(function (n) { return cy.getElementById(n.data.id).empty(); })
      .map(function (n) { return Object.assign({ group: "nodes" }, n); });
    var anchor = centre && cy.getElementById(centre).nonempty() ? cy.getElementById(centre).position() : null;
    G.seed(fresh, anchor);
    var freshEdges = (elements.edges || []).filter(function (e) { return cy.getElementById(e.data.id).empty(); })
      .map(function (e) { return Object.assign({ group: "edges" }, e); });
    return cy.add(fresh.concat(freshEdges));
  }

  function expansionParams(node, relation, direction, cap) {
    var q = viewParams(true);
    q.delete("focus");
    q.delete("depth");
    q.set("node", node);
    q.set("relation", relation);
    q.set("direction", direction);
    q.set("limit", String(cap));
    return q;
  }

  function fetchExpansion(entry) {
    var parts = entry.split(" ");
    return getJson(config.api.expand, expansionParams(parts[0], parts[1], parts[2], EXPAND_CAP))
      .then(function (data) { return addNew(data.elements, parts[0]); });
  }

  function fetchPath(from, to) {
    var q = viewParams(true);
    q.delete("focus");
    q.delete("depth");
    q.set("from", from);
    q.set("to", to);
    return getJson(config.api.path, q).then(function (data) {
      cy.elements().removeClass("path");
      data.added = addNew(data.elements, from);
      data.path.forEach(function (step) { cy.getElementById(step.iri).addClass("path"); });
      (data.elements.edges || []).forEach(function (e) { cy.getElementById(e.data.id).addClass("path"); });
      P.keepFocus(document.getElementById("explorer-path-result"), document.getElementById("path-title"), function () {
        P.renderPath(document.getElementById("explorer-path-result"), data, S, selectById);
      });
      nameEnds(data);
      return data;
    });
  }

  /* A path restored from the address has its ends' IRIs in the fields: show their names
     (and keep them chosen, so that the form sends the same ends again). */
  function nameEnds(data) {
    ["from", "to"].forEach(function (end) {
      var box = pathEnds[end], found = data[end];
      var input = document.getElementById("explorer-" + end);
      if (box && found && found.label && input.value.trim() === found.iri) {
        box.chosen = found;
        input.value = found.label;
      }
    });
  }

  /* Load the view the state describes: base view, then expansions, then the path. */
  function load() {
    say(S["explorer.loading"]);
    return busy(getJson(config.api.graph, viewParams(true)).then(function (data) {
      api.lastView = data;
      available = counted(data.available || data.counts);
      cy.elements().remove();
      cy.add({ nodes: G.seed(data.elements.nodes), edges: data.elements.edges });
      quieten();
      if (data.focus) cy.getElementById(data.focus.iri).addClass("focus");
      var chain = Promise.resolve();
      state.x.forEach(function (entry) { chain = chain.then(function () { return fetchExpansion(entry); }); });
      if (state.from && state.to) chain = chain.then(function () { return fetchPath(state.from, state.to); });
      return chain.then(function () {
        var preset = data.layout === "preset" && state.x.length === 0 && state.layout === "force";
        runLayout(preset ? "preset" : state.layout, false);
        restoreSelection();
        refresh();
      });
    }));
  }

  function counted(counts) {
    var result = { kinds: {}, relations: {} };
    (counts.kinds || []).forEach(function (c) { result.kinds[c.kind] = c.count; });
    (counts.relations || []).forEach(function (c) { result.relations[c.relation] = c.count; });
    return result;
  }

  // -- drawing ----------------------------------------------------------------------------------

  function rootNode() {
    if (state.focus && cy.getElementById(state.focus).nonempty()) return state.focus;
    var best = null;
    cy.nodes().forEach(function (n) { if (!best || n.degree() > best.degree()) best = n; });
    return best ? best.id() : null;
  }

  function runLayout(name, keep) {
    if (!cy.nodes().length) return;
    cy.layout(G.layoutOptions(name, rootNode(), keep)).run();
    if (!keep && name !== "breadthfirst") orientToContainer();
    fitTo(cy.elements());
  }

  /* A wide drawing in a tall frame (a phone held upright) is turned a quarter, so that it
     fills the frame instead of a thin band; a layered (breadth-first) drawing keeps its
     top-down reading. */
  function orientToContainer() {
    var box = cy.nodes().boundingBox();
    var frameTall = cy.height() > cy.width() * 1.2;
    var drawingWide = box.w > box.h * 1.2;
    if (!frameTall || !drawingWide) return;
    cy.batch(function () {
      cy.nodes().positions(function (node) {
        var p = node.position();
        return { x: p.y, y: -p.x };
      });
    });
  }

  /* Fit elements into view, but do not blow a handful of nodes up to poster size. */
  function fitTo(elements) {
    cy.fit(elements, 30);
    if (cy.zoom() > 1.5) {
      cy.zoom(1.5);
      cy.center(elements);
    }
  }

  /* After adding nodes next to `centre`: re-run the layout, or place them on a ring when the
     view is too large for the browser to lay out. */
  function placeNew(added, centre) {
    var nodes = added.nodes();
    if (!nodes.length) return;
    if (cy.nodes().length > config.layoutThreshold || state.layout === "force" && !window.cytoscapeFcose) {
      G.ringAround(cy, centre, nodes);
      fitTo(cy.elements());
    } else {
      runLayout(state.layout, true);
    }
  }

  /* Quiet drawing for views above the layout threshold (see explorer-graph.js). */
  function quieten() {
    var big = cy.nodes().length > config.layoutThreshold;
    cy.batch(function () {
      if (big) cy.elements().addClass("quiet"); else cy.elements().removeClass("quiet");
    });
  }

  /* The LANDMARKS most connected nodes carry their label at a size readable at any zoom. */
  var LANDMARKS = 8;
  var LANDMARKS_NARROW = 4;  // in a frame under 480 px wide (a phone)
  var LABEL_PX = 11;

  var LANDMARK_STYLE = "font-size text-max-width text-outline-width text-margin-y";
  var candidates = cy.collection();

  /* The candidates are the most connected nodes; sizeLandmarks names those whose label
     would not cover the label of a better connected one at the present zoom. */
  function markLandmarks() {
    var ranked = cy.nodes().sort(function (a, b) { return b.degree() - a.degree(); });
    candidates = ranked.slice(0, cy.width() < 480 ? LANDMARKS_NARROW : LANDMARKS);
    sizeLandmarks();
  }

  function overlaps(a, b) {
    return a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
  }

  function sizeLandmarks() {
    var scale = Math.max(1, 1 / cy.zoom());
    var kept = [];
    cy.batch(function () {
      cy.nodes(".landmark").removeClass("landmark").removeStyle(LANDMARK_STYLE);
      candidates.filter(function (node) { return node.inside(); }).forEach(function (node) {
        node.addClass("landmark").style({
          "font-size": LABEL_PX * scale,
          "text-max-width": 140 * scale,
          "text-outline-width": 2 * scale,
          "text-margin-y": 4 * scale
        });
      });
    });
    candidates.filter(".landmark").forEach(function (node) {  // best connected first
      var box = node.boundingBox({ includeNodes: false, includeEdges: false, includeLabels: true });
      if (kept.some(function (other) { return overlaps(box, other); })) {
        node.removeClass("landmark").removeStyle(LANDMARK_STYLE);
      } else {
        kept.push(box);
      }
    });
  }

  var sizing = false;
  cy.on("zoom", function () {
    if (sizing) return;
    sizing = true;
    window.requestAnimationFrame(function () { sizing = false; sizeLandmarks(); });
  });

  function howMany(key, count) {
    return count === 1 ? S[key + "_one"] : P.fill(S[key], { count: count });
  }

  function refresh() {
    quieten();
    markLandmarks();
    P.keepFocus(document.getElementById("explorer-table"), document.getElementById("table-title"), function () {
      P.renderTables(cy, S, selectById);
    });
    P.markSelected(state.sel);
    updateLegend();
    var view = api.lastView;
    var text = cy.nodes().length
      ? P.fill(S["explorer.shown"], { nodes: howMany("explorer.nodes", cy.nodes().length), edges: howMany("explorer.edges", cy.edges().length) })
      : S["explorer.no_nodes"];
    // What the server refused in the address (say depth=99) stays said over the view shown instead.
    if (pageError) text = P.fill(S["explorer.error"], { message: pageError }) + " " + text;
    if (view && view.truncated) text += " " + P.fill(S["explorer.truncated"], { shown: view.nodeCount, total: view.total });
    say(text);
    /* aria-disabled, not disabled: a disabled button loses the focus (to <body>) after the
       last undo; this one keeps it, is announced as unavailable, and says so when pressed. */
    var undoButton = document.getElementById("explorer-undo");
    if (undoStack.length) undoButton.removeAttribute("aria-disabled");
    else undoButton.setAttribute("aria-disabled", "true");
  }

  function updateLegend() {
    var inView = { kinds: {}, relations: {} };
    cy.nodes().forEach(function (n) { inView.kinds[n.data("kind")] = (inView.kinds[n.data("kind")] || 0) + 1; });
    cy.edges().forEach(function (e) { inView.relations[e.data("relation")] = (inView.relations[e.data("relation")] || 0) + 1; });
    [["kinds", "kind", state.types], ["relations", "relation", state.relations]].forEach(function (spec) {
      document.querySelectorAll("li[data-" + spec[1] + "]").forEach(function (li) {
        var key = li.dataset[spec[1]];
        var shown = inView[spec[0]][key] || 0;
        var total = Math.max(available[spec[0]][key] || 0, shown);
        li.hidden = !total;
        li.querySelector(".count").textContent = "(" + (total > shown ? shown + "/" + total : shown) + ")";
        li.querySelector("input").checked = !spec[2].length || spec[2].indexOf(key) >= 0;
      });
    });
  }

  // -- selection and details -------------------------------------------------------------------

  function selectById(id) {
    var element = cy.getElementById(id);
    if (element.empty()) return;
    cy.elements(":selected").unselect();
    element.select();
    cy.center(element);
  }

  function restoreSelection() {
    cy.elements(":selected").unselect();
    if (state.sel && cy.getElementById(state.sel).nonempty()) {
      cy.getElementById(state.sel).select();
    } else {
      state.sel = null;
      inDetails(showNothing);
    }
  }

  /* Without a selection the panel describes the focus, if there is one. */
  function showNothing() {
    var body = document.getElementById("explorer-details-body");
    document.getElementById("explorer-expansion").textContent = "";
    var focus = state.focus ? cy.getElementById(state.focus) : cy.collection();
    if (focus.nonempty()) {
      showNode(focus);
      return;
    }
    body.textContent = "";
    body.appendChild(P.el("p", "muted", S["explorer.nothing_selected"]));
  }

  function showNode(node) {
    P.renderNode(document.getElementById("explorer-details-body"), node, S, {
      expand: function () { showExpansion(node.id()); },
      focus: function () { change({ focus: node.id(), x: [], from: null, to: null, sel: node.id() }); }
    });
  }

  cy.on("select", "node, edge", function (event) {
    var element = event.target;
    state.sel = element.id();
    writeState(false);
    P.markSelected(element.id());
    inDetails(function () {
      document.getElementById("explorer-expansion").textContent = "";
      if (element.isNode()) {
        showNode(element);
      } else {
        P.renderEdge(document.getElementById("explorer-details-body"), element, cy, S);
      }
    });
  });

  cy.on("unselect", "node, edge", function () {
    if (cy.elements(":selected").nonempty()) return;
    state.sel = null;
    writeState(false);
    P.markSelected(null);
    inDetails(showNothing);
  });

  cy.on("dbltap", "node", function (event) { showExpansion(event.target.id()); });
  cy.on("mouseover", "node, edge", function (event) { event.target.addClass("hover"); });
  cy.on("mouseout", "node, edge", function (event) { event.target.removeClass("hover"); });

  /* First the counts per relation and direction; a group is added only when asked for. */
  function showExpansion(id) {
    var q = viewParams(true);
    q.delete("focus");
    q.delete("depth");
    q.set("node", id);
    return busy(getJson(config.api.expand, q).then(function (data) {
      inDetails(function () {
        P.renderExpansion(document.getElementById("explorer-expansion"), data, EXPAND_CAP, S, function (group) {
          expand(id, group.relation, group.direction);
        });
      });
    }));
  }

  function expand(id, relation, direction) {
    snapshot();
    var entry = [id, relation, direction].join(" ");
    return busy(fetchExpansion(entry).then(function (added) {
      if (state.x.indexOf(entry) < 0) state.x.push(entry);
      placeNew(added, cy.getElementById(id));
      writeState(true);
      refresh();
      return added.nodes().length;
    }));
  }

  // -- changes and undo -------------------------------------------------------------------------

  function snapshot() {
    undoStack.push({ state: copy(state), elements: cy.elements().jsons(), view: api.lastView, available: available });
    if (undoStack.length > UNDO_DEPTH) undoStack.shift();
  }

  function undo() {
    var last = undoStack.pop();
    if (!last) { say(S["explorer.undo_empty"]); return; }
    state = last.state;
    api.lastView = last.view;
    available = last.available;
    cy.elements().remove();
    cy.add(last.elements);
    fitTo(cy.elements());
    writeState(true);
    restoreSelection();
    refresh();
  }

  /* Change the view (focus, filters, depth…) and reload it; the old one goes on the undo stack. */
  function change(values) {
    pageError = null;
    snapshot();
    Object.assign(state, values);
    writeState(true);
    return load();
  }

  // -- controls ---------------------------------------------------------------------------------

  function checked(fieldset) {
    var boxes = document.querySelectorAll("#" + fieldset + " input[type=checkbox]");
    var on = [];
    var visible = 0;
    boxes.forEach(function (box) {
      if (!box.closest("li").hidden) visible += 1;
      if (box.checked) on.push(box.value);
    });
    var all = Array.prototype.every.call(boxes, function (box) { return box.checked || box.closest("li").hidden; });
    return all || on.length === 0 && !visible ? [] : on;
  }

  document.getElementById("explorer-view").addEventListener("submit", function (event) { event.preventDefault(); });
  document.getElementById("explorer-types").addEventListener("change", function () {
    change({ types: checked("explorer-types") });
  });
  document.getElementById("explorer-relations").addEventListener("change", function () {
    change({ relations: checked("explorer-relations") });
  });
  /* The depth: a choice with the mouse applies at once. On a closed select every arrow key
     is a change; those wait until the keys rest (DEPTH_DELAY), Enter is pressed or the focus
     leaves, so browsing 1 → 4 loads (and puts on the undo stack) one view, not three. */
  var DEPTH_DELAY = 600;
  var depthSelect = document.getElementById("explorer-depth");
  var depthTimer = null;
  var depthKeyed = false;
  function applyDepth() {
    window.clearTimeout(depthTimer);
    depthTimer = null;
    var depth = parseInt(depthSelect.value, 10);
    if (depth !== Math.max(1, state.depth)) change({ depth: depth });
  }
  depthSelect.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      if (depthTimer) { event.preventDefault(); applyDepth(); }
    } else if (!event.altKey && !event.ctrlKey && !event.metaKey &&
               (/^(Arrow|Page|Home$|End$)/.test(event.key) || event.key.length === 1 && event.key !== " ")) {
      depthKeyed = true;  // the keys that step through a closed select, and type-ahead
    }
  });
  depthSelect.addEventListener("pointerdown", function () { depthKeyed = false; });
  depthSelect.addEventListener("change", function () {
    window.clearTimeout(depthTimer);
    if (depthKeyed) {
      depthKeyed = false;
      depthTimer = window.setTimeout(applyDepth, DEPTH_DELAY);
    } else {
      applyDepth();
    }
  });
  depthSelect.addEventListener("blur", function () { if (depthTimer) applyDepth(); });
  document.getElementById("explorer-layout").addEventListener("change", function (event) {
    snapshot();
    state.layout = event.target.value;
    runLayout(state.layout, false);
    writeState(true);
    refresh();
  });
  /* The jumps past the filters and the tables move the focus themselves: a fragment in the
     address would be one more history entry (and popstate) for the view. */
  document.querySelectorAll(".explorer-skip a[href^='#']").forEach(function (a) {
    a.addEventListener("click", function (event) {
      var target = document.getElementById(a.getAttribute("href").slice(1));
      if (!target) return;
      event.preventDefault();
      target.focus();
    });
  });
  document.getElementById("explorer-fit").addEventListener("click", function () { fitTo(cy.elements()); });
  document.getElementById("explorer-undo").addEventListener("click", undo);
  document.getElementById("explorer-whole").addEventListener("click", function () {
    change({ focus: null, x: [], from: null, to: null, sel: null });
  });
  document.getElementById("explorer-png").addEventListener("click", function () {
    try {
      var blob = cy.png({ output: "blob", bg: "#ffffff", full: true, scale: 2, maxWidth: 4096, maxHeight: 4096 });
      var a = document.createElement("a");
      a.href = URL.createObjectURL(blob);
      a.download = "stadtgraph.png";
      document.body.appendChild(a);
      a.click();
      window.setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
    } catch (error) {
      say(S["explorer.png_failed"]);
    }
  });
  document.querySelectorAll(".action-field-links a[data-focus]").forEach(function (a) {
    a.addEventListener("click", function (event) {
      event.preventDefault();
      change({ focus: a.dataset.focus, depth: parseInt(a.dataset.depth, 10), x: [], from: null, to: null, sel: a.dataset.focus });
    });
  });

  /* Search: highlight matches in the view as one types; a chosen match is centred, or
     becomes the new focus when it is not in the view. */
  function normalise(text) {
    return String(text).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function highlight(text) {
    cy.elements().removeClass("match faded");
    if (!text) return;
    var wanted = normalise(text);
    var matches = cy.nodes().filter(function (n) {
      return [n.data("label_de"), n.data("label_en")].some(function (l) { return l && normalise(l).indexOf(wanted) >= 0; });
    });
    if (!matches.length) return;
    matches.addClass("match");
    cy.elements().not(matches).not(matches.connectedEdges()).addClass("faded");
  }

  function goTo(hit) {
    if (cy.getElementById(hit.iri).nonempty()) {
      selectById(hit.iri);
    } else if (hit.inGraph) {
      highlight("");
      change({ focus: hit.iri, x: [], from: null, to: null, sel: hit.iri, q: null });
    } else if (hit.page) {
      window.location.assign(hit.page);
    }
  }

  var settings = function (extra) {
    return Object.assign({ api: config.api.search, lang: config.lang }, extra);
  };
  var search = new window.StadtgraphCombobox(document.getElementById("explorer-q"), document.getElementById("explorer-q-options"), settings({
    limit: 8,
    describe: function (hit) {
      if (cy.getElementById(hit.iri).nonempty()) return S["explorer.in_view"];
      return hit.inGraph ? S["explorer.not_in_view"] : S["explorer.not_in_graph"];
    },
    onInput: highlight,
    onChoose: goTo
  }));
  document.getElementById("explorer-search").addEventListener("submit", function (event) {
    var hit = search.chosen || search.best();
    if (!hit) return;
    event.preventDefault();
    goTo(hit);
  });

  var from = new window.StadtgraphCombobox(document.getElementById("explorer-from"), document.getElementById("explorer-from-options"), settings({}));
  var to = new window.StadtgraphCombobox(document.getElementById("explorer-to"), document.getElementById("explorer-to-options"), settings({}));
  pathEnds = { from: from, to: to };
  function endpoint(box, input) {
    var value = input.value.trim();
    if (box.chosen) return box.chosen.iri;
    if (/^[a-z][a-z0-9+.-]*:\S+$/i.test(value)) return value;
    var best = box.best();
    return best ? best.iri : null;
  }
  document.getElementById("explorer-path").addEventListener("submit", function (event) {
    event.preventDefault();
    var a = endpoint(from, document.getElementById("explorer-from"));
    var b = endpoint(to, document.getElementById("explorer-to"));
    if (!a || !b) { say(S["explorer.path_pick"]); return; }
    findPath(a, b);
  });

  function findPath(a, b) {
    snapshot();
    state.from = a;
    state.to = b;
    return busy(fetchPath(a, b).then(function (data) {
      if (data.found) {
        placeNew(data.added, cy.getElementById(a));
        fitTo(cy.elements(".path"));
      }
      writeState(true);
      refresh();
      return data.found;
    }));
  }

  window.addEventListener("popstate", function () {
    // A jump to an anchor (the page's skip link) changes no view: nothing to reload.
    if (window.location.search === written) return;
    // Back at the first view (shown instead of what the address asked for), the reason again.
    pageError = window.location.search === refused.search ? refused.error : null;
    state = readState(window.location.search);
    writeState(false);
    load();
  });

  api.load = load;
  api.expand = expand;
  api.showExpansion = showExpansion;
  api.findPath = findPath;
  api.undo = undo;
  api.select = selectById;

  writeState(false);
  if (pageError) refused.search = written;
  load();
})();
