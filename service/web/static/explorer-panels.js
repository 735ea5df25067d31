/* Stadtgraph explorer — the panels beside and below the graph: the table view (the same
   nodes and edges as the graph, keyboard reachable), the details of a selection, the counts
   before an expansion and a found path. Every label is data: textContent only, never HTML.
   Exposes window.StadtgraphPanels. */
(function () {
  "use strict";

  function fill(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, function (all, name) {
      return Object.prototype.hasOwnProperty.call(values || {}, name) ? String(values[name]) : all;
    });
  }

  function el(tag, className, text) {
    var element = document.createElement(tag);
    if (className) element.className = className;
    if (text !== undefined && text !== null) element.textContent = String(text);
    return element;
  }

  function link(href, text) {
    var a = el("a", null, text);
    a.href = href;
    return a;
  }

  /* A link to a node's page: what shows is `text` ("Seite öffnen"), what a screen reader's
     list of links says names the node too ("Seite öffnen: KVV"). */
  function pageLink(href, text, label) {
    var a = link(href, text);
    a.appendChild(el("span", "visually-hidden", ": " + label));
    return a;
  }

  function button(text, onClick, className) {
    var b = el("button", className || "small", text);
    b.type = "button";
    b.addEventListener("click", onClick);
    return b;
  }

  function labelOf(cy, id) {
    var found = cy.getElementById(id);
    return found.nonempty() ? found.data("label") : id;
  }

  /* Rebuild both tables from what the graph shows now. */
  function renderTables(cy, S, onSelect) {
    var nodes = cy.nodes().sort(function (a, b) {
      return a.data("label").localeCompare(b.data("label"));
    });
    var nodeBody = document.querySelector("#explorer-nodes tbody");
    var edgeBody = document.querySelector("#explorer-edges tbody");
    var nodeRows = document.createDocumentFragment();
    nodes.forEach(function (node) {
      var tr = el("tr");
      tr.dataset.id = node.id();
      var th = el("th");
      th.scope = "row";
      th.appendChild(button(node.data("label"), function () { onSelect(node.id()); }, "linklike"));
      tr.appendChild(th);
      tr.appendChild(el("td", null, node.data("kindLabel")));
      tr.appendChild(el("td", "number", node.connectedEdges().length));
      var page = el("td");
      if (node.data("url")) page.appendChild(pageLink(node.data("url"), S["explorer.open_page"] || "↗", node.data("label")));
      tr.appendChild(page);
      nodeRows.appendChild(tr);
    });
    nodeBody.textContent = "";
    nodeBody.appendChild(nodeRows);

    var edgeRows = document.createDocumentFragment();
    cy.edges().forEach(function (edge) {
      var tr = el("tr");
      tr.dataset.id = edge.id();
      tr.appendChild(el("td", null, labelOf(cy, edge.data("source"))));
      var relation = el("td");
      relation.appendChild(button(edge.data("label"), function () { onSelect(edge.id()); }, "linklike"));
      tr.appendChild(relation);
      tr.appendChild(el("td", null, labelOf(cy, edge.data("target"))));
      tr.appendChild(el("td", null, edge.data("roleLabel") || ""));
      var sources = el("td");
      (edge.data("statements") || []).forEach(function (statement, i) {
        if (i) sources.appendChild(document.createTextNode("; "));
        sources.appendChild(statement.url ? link(statement.url, statement.label) : el("span", null, statement.label));
      });
      tr.appendChild(sources);
      edgeRows.appendChild(tr);
    });
    edgeBody.textContent = "";
    edgeBody.appendChild(edgeRows);

    var captions = document.querySelectorAll(".explorer-table caption");
    captions[0].textContent = fill(S["explorer.nodes_caption"], { count: cy.nodes().length });
    captions[1].textContent = fill(S["explorer.edges_caption"], { count: cy.edges().length });
  }

  function markSelected(id) {
    document.querySelectorAll(".explorer-table tr.selected").forEach(function (tr) {
      tr.classList.remove("selected");
      tr.removeAttribute("aria-current");
    });
    if (!id) return;
    document.querySelectorAll(".explorer-table tbody tr").forEach(function (tr) {
      if (tr.dataset.id === id) {
        tr.classList.add("selected");
        tr.setAttribute("aria-current", "true");
      }
    });
  }

  function fact(list, term, value) {
    list.appendChild(el("dt", null, term));
    var dd = el("dd");
    if (value instanceof Node) dd.appendChild(value); else dd.textContent = value;
    list.appendChild(dd);
  }

  /* Details of a node: name, kind, IRI, page, and the actions on it. */
  function renderNode(container, node, S, actions) {
    container.textContent = "";
    container.appendChild(el("h3", "selection-title", node.data("label")));
    var facts = el("dl", "facts");
    fact(facts, S["explorer.kind"], node.data("kindLabel"));
    if (node.data("quote")) {
      /* A statement: the source's words and its caveat, not only our short label. */
      var words = el("blockquote", "quote", "„" + node.data("quote") + "“");
      if (node.data("quoteLanguage")) words.lang = node.data("quoteLanguage");
      fact(facts, S["explorer.quote"], words);
      if (node.data("caveat")) {
        var caveat = el("em", null, node.data("caveat"));
        if (node.data("caveatLanguage")) caveat.lang = node.data("caveatLanguage");
        fact(facts, S["explorer.caveat"], caveat);
      }
    }
    fact(facts, S["explorer.iri"], el("code", "iri", node.id()));
    container.appendChild(facts);
    var list = el("ul", "actions");
    if (node.data("url")) {
      var li = el("li");
      li.appendChild(pageLink(node.data("url"), S["explorer.open_page"], node.data("label")));
      list.appendChild(li);
    }
    [[S["explorer.expand"], actions.expand], [S["explorer.make_focus"], actions.focus]].forEach(function (pair) {
      var item = el("li");
      item.appendChild(button(pair[0], pair[1]));
      list.appendChild(item);
    });
    container.appendChild(list);
  }

  /* Details of an edge: who, how, what, and for an involvement its role, date and source. */
  function renderEdge(container, edge, cy, S) {
    container.textContent = "";
    container.appendChild(el("h3", "selection-title",
      labelOf(cy, edge.data("source")) + " — " + edge.data("label") + " — " + labelOf(cy, edge.data("target"))));
    var facts = el("dl", "facts");
    fact(facts, S["explorer.relation"], edge.data("label"));
    if (edge.data("roleLabel")) fact(facts, S["explorer.role"], edge.data("roleLabel"));
    if (edge.data("asOf")) fact(facts, S["explorer.as_of"], edge.data("asOf"));
    (edge.data("statements") || []).forEach(function (statement) {
      fact(facts, S["explorer.source"], statement.url ? link(statement.url, statement.label) : statement.label);
    });
    container.appendChild(facts);
  }

  /* The counts per relation and direction, each with a button to show that group (capped). */
  function renderExpansion(container, data, cap, S, onShow) {
    container.textContent = "";
    if (!data.groups.length) {
      container.appendChild(el("p", "muted", S["explorer.expand_none"]));
      return;
    }
    container.appendChild(el("p", null, fill(S["explorer.expand_counts"], { count: data.total })));
    var list = el("ul", "expansion");
    data.groups.forEach(function (group) {
      var li = el("li");
      var direction = group.direction === "out" ? S["explorer.direction_out"] : S["explorer.direction_in"];
      li.appendChild(el("span", null, group.label + " (" + direction + "): " + group.count + " "));
      var text = group.count > cap
        ? fill(S["explorer.expand_more"], { shown: cap, total: group.count })
        : fill(S["explorer.expand_show"], { count: group.count });
      var b = button(text, function () { onShow(group); });
      b.dataset.relation = group.relation;
      b.dataset.direction = group.direction;
      li.appendChild(b);
      list.appendChild(li);
    });
    container.appendChild(list);
  }

  function renderPath(container, data, S, onSelect) {
    container.textContent = "";
    if (!data.found) {
      container.appendChild(el("p", null, S["explorer.path_none"]));
      return;
    }
    container.appendChild(el("p", null, fill(S["explorer.path_found"], { length: data.length })));
    var list = el("ol", "path");
    var labels = {};
    data.path.forEach(function (step) {
      labels[step.iri] = step.label;
      var li = el("li");
      li.appendChild(button(step.label, function () { onSelect(step.iri); }, "linklike"));
      li.appendChild(el("span", "muted", " (" + (step.kindLabel || "") + ")"));
      list.appendChild(li);
    });
    container.appendChild(list);
    /* Each step's link, read in its own direction ("Seniorenbeirat – Einheit von – Stadt
       Kassel"): a path through a hub says nothing about the two ends without them. */
    var edges = (data.elements && data.elements.edges) || [];
    var links = el("ul", "path-links");
    for (var i = 1; i < data.path.length; i++) {
      var a = data.path[i - 1].iri, b = data.path[i].iri;
      var edge = edges.find(function (e) {
        return (e.data.source === a && e.data.target === b) || (e.data.source === b && e.data.target === a);
      });
      if (edge) {
        links.appendChild(el("li", null,
          labels[edge.data.source] + " – " + edge.data.label + " – " + labels[edge.data.target]));
      }
    }
    if (links.childNodes.length) {
      container.appendChild(el("p", null, S["explorer.path_links"]));
      container.appendChild(links);
    }
  }

  /* Run render(), which rebuilds what is inside `panel`. Had the focus been on something in
     it that is gone now, it would fall back to <body>, and a keyboard or screen reader user
     would start again at the top of the page: `fallback` (a heading with tabindex=-1) takes
     it instead. */
  function keepFocus(panel, fallback, render) {
    var inside = panel.contains(document.activeElement) && document.activeElement !== panel;
    var result = render();
    var now = document.activeElement;
    if (inside && (!now || now === document.body || !now.isConnected)) fallback.focus();
    return result;
  }

  window.StadtgraphPanels = {
    fill: fill,
    el: el,
    keepFocus: keepFocus,
    renderTables: renderTables,
    markSelected: markSelected,
    renderNode: renderNode,
    renderEdge: renderEdge,
    renderExpansion: renderExpansion,
    renderPath: renderPath
  };
})();
