/* Two extra result views for Yasr (the results half of @zazuko/yasgui): a bar chart for
   SELECT results with a numeric column, and a small Cytoscape graph for CONSTRUCT and
   DESCRIBE results. Values from the data only ever become text (textContent, SVG text nodes,
   Cytoscape canvas labels), never markup. Registered before the editor page creates Yasr. */
(function () {
  "use strict";

  var SVG = "http://www.w3.org/2000/svg";
  var XSD = "http://www.w3.org/2001/XMLSchema#";
  var NUMERIC = ["integer", "decimal", "double", "float", "int", "long", "short", "byte",
    "nonNegativeInteger", "positiveInteger", "nonPositiveInteger", "negativeInteger",
    "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte"].map(function (name) {
    return XSD + name;
  });
  var LABELS = [
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "https://schema.org/name",
    "http://xmlns.com/foaf/0.1/name"
  ];
  var MAX_BARS = 60;
  var MAX_TRIPLES = 400;

  function texts() {
    return (window.StadtgraphEditor && window.StadtgraphEditor.texts) || {};
  }

  function fill(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, function (all, key) {
      return key in values ? String(values[key]) : all;
    });
  }

  function element(name, className, text) {
    var node = document.createElement(name);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function svgElement(name, attributes) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attributes || {}).forEach(function (key) {
      node.setAttribute(key, String(attributes[key]));
    });
    return node;
  }

  function icon(letter) {
    var svg = svgElement("svg", { viewBox: "0 0 16 16", width: 16, height: 16, "aria-hidden": "true" });
    if (letter === "chart") {
      svg.appendChild(svgElement("rect", { x: 1, y: 8, width: 3, height: 7 }));
      svg.appendChild(svgElement("rect", { x: 6, y: 4, width: 3, height: 11 }));
      svg.appendChild(svgElement("rect", { x: 11, y: 1, width: 3, height: 14 }));
    } else {
      svg.appendChild(svgElement("circle", { cx: 3, cy: 3, r: 2.5 }));
      svg.appendChild(svgElement("circle", { cx: 13, cy: 5, r: 2.5 }));
      svg.appendChild(svgElement("circle", { cx: 7, cy: 13, r: 2.5 }));
      svg.appendChild(svgElement("path", { d: "M3 3L13 5L7 13Z", fill: "none", stroke: "currentColor" }));
    }
    return svg;
  }

  function isNumeric(binding) {
    if (!binding || binding.type === "uri" || binding.type === "bnode") return false;
    if (binding.datatype && NUMERIC.indexOf(binding.datatype) >= 0) return true;
    return !binding.datatype && !binding["xml:lang"] && /^-?\d+(\.\d+)?$/.test(binding.value);
  }

  /* The columns to chart: the first whose bound values are all numbers, and a label column. */
  function chartColumns(results) {
    if (!results || results.hasError() || results.getType() !== "json") return null;
    var variables = results.getVariables();
    var rows = results.getBindings();
    if (!rows || !rows.length) return null;  // an ASK answer has no rows
    var value = variables.filter(function (name) {
      var bound = rows.filter(function (row) { return row[name]; });
      return bound.length > 0 && bound.every(function (row) { return isNumeric(row[name]); });
    })[0];
    if (!value) return null;
    var label = variables.filter(function (name) { return name !== value; })[0] || null;
    return { value: value, label: label, rows: rows };
  }

  function shortName(iri, prefixes) {
    var best = null;
    Object.keys(prefixes || {}).forEach(function (prefix) {
      var namespace = prefixes[prefix];
      if (iri.indexOf(namespace) === 0 && (!best || namespace.length > best.namespace.length)) {
        best = { prefix: prefix, namespace: namespace };
      }
    });
    if (best) return best.prefix + ":" + iri.slice(best.namespace.length);
    var cut = Math.max(iri.lastIndexOf("#"), iri.lastIndexOf("/"));
    return cut >= 0 && cut < iri.length - 1 ? iri.slice(cut + 1) : iri;
  }

  /* -- the chart ------------------------------------------------------------------------- */

  function ChartPlugin(yasr) {
    this.yasr = yasr;
    this.priority = 1;
    this.label = texts().chart || "Chart";
  }

  ChartPlugin.prototype.canHandleResults = function () {
    return chartColumns(this.yasr.results) !== null;
  };

  ChartPlugin.prototype.getIcon = function () {
    return icon("chart");
  };

  ChartPlugin.prototype.draw = function () {
    var root = element("div", "sg-chart");
    var columns = chartColumns(this.yasr.results);
    if (!columns) {
      root.appendChild(element("p", "sg-note", texts().chartNeeds || ""));
      this.yasr.resultsEl.appendChild(root);
      return;
    }
    var prefixes = this.yasr.getPrefixes();
    var rows = columns.rows.filter(function (row) { return row[columns.value]; }).slice(0, MAX_BARS);
    var values = rows.map(function (row) { return Number(row[columns.value].value); });
    var max = Math.max.apply(null, values.concat([0]));
    var min = Math.min.apply(null, values.concat([0]));
    var span = max - min || 1;
    var barHeight = 22, gap = 6, labelWidth = 230, plotWidth = 420, top = 24;
    var height = top + rows.length * (barHeight + gap);
    var svg = svgElement("svg", {
      viewBox: "0 0 " + (labelWidth + plotWidth + 70) + " " + height,
      role: "img",
      class: "sg-chart-svg"
    });
    var title = svgElement("title");
    title.textContent = (columns.label ? columns.label + " / " : "") + columns.value;
    svg.appendChild(title);
    var axis = svgElement("text", { x: labelWidth, y: 14, class: "sg-axis" });
    axis.textContent = columns.value;
    svg.appendChild(axis);
    var zero = labelWidth + ((0 - min) / span) * plotWidth;
    rows.forEach(function (row, index) {
      var y = top + index * (barHeight + gap);
      var value = values[index];
      var name = columns.label && row[columns.label] ? row[columns.label] : null;
      var text = name ? (name.type === "uri" ? shortName(name.value, prefixes) : name.value) : String(index + 1);
      var label = svgElement("text", { x: labelWidth - 8, y: y + barHeight * 0.7, class: "sg-bar-label" });
      label.textContent = text.length > 34 ? text.slice(0, 33) + "…" : text;
      var x = Math.min(zero, labelWidth + ((value - min) / span) * plotWidth);
      var width = Math.max(1, Math.abs(((value - min) / span) * plotWidth + labelWidth - zero));
      var bar = svgElement("rect", { x: x, y: y, width: width, height: barHeight, class: "sg-bar" });
      var full = svgElement("title");
      full.textContent = text + ": " + value;
      bar.appendChild(full);
      var amount = svgElement("text", { x: x + width + 6, y: y + barHeight * 0.7, class: "sg-bar-value" });
      amount.textContent = String(value);
      svg.appendChild(label);
      svg.appendChild(bar);
      svg.appendChild(amount);
    });
    root.appendChild(svg);
    this.yasr.resultsEl.appendChild(root);
  };

  /* -- the graph ------------------------------------------------------------------------- */

  function termKey(term) {
    return (term.termType === "BlankNode" ? "_:" : "") + term.value;
  }

  function graphElements(statements, prefixes, language) {
    var labels = {};
    statements.forEach(function (quad) {
      if (LABELS.indexOf(quad.predicate.value) >= 0 && quad.object.termType === "Literal") {
        var key = termKey(quad.subject);
        var current = labels[key];
        var lang = quad.object.language || "";
        if (!current || (lang === language && current.lang !== language)) {
          labels[key] = { text: quad.object.value, lang: lang };
        }
      }
    });
    var nodes = {}, edges = [];
    function node(term) {
      var key = termKey(term);
      if (!nodes[key]) {
        var text = labels[key] ? labels[key].text
          : term.termType === "BlankNode" ? "_:" + term.value : shortName(term.value, prefixes);
        nodes[key] = { data: { id: "n" + Object.keys(nodes).length, key: key, label: text } };
      }
      return nodes[key].data.id;
    }
    statements.forEach(function (quad) {
      if (quad.object.termType === "Literal") return;
      edges.push({ data: {
        id: "e" + edges.length,
        source: node(quad.subject),
        target: node(quad.object),
        label: shortName(quad.predicate.value, prefixes)
      } });
    });
    statements.forEach(function (quad) { node(quad.subject); });
    var degree = {};
    edges.forEach(function (edge) {
      degree[edge.data.source] = (degree[edge.data.source] || 0) + 1;
      degree[edge.data.target] = (degree[edge.data.target] || 0) + 1;
    });
    var list = Object.keys(nodes).map(function (key) {
      nodes[key].data.degree = degree[nodes[key].data.id] || 1;
      return nodes[key];
    });
    return { nodes: list, edges: edges };
  }

  function GraphPlugin(yasr) {
    this.yasr = yasr;
    this.priority = 1;
    this.label = texts().graph || "Graph";
  }

  GraphPlugin.prototype.canHandleResults = function () {
    var results = this.yasr.results;
    return !!results && !results.hasError() && results.getType() === "ttl";
  };

  GraphPlugin.prototype.getIcon = function () {
    return icon("graph");
  };

  GraphPlugin.prototype.destroy = function () {
    if (this.cy) this.cy.destroy();
    this.cy = null;
  };

  GraphPlugin.prototype.draw = function () {
    var root = element("div", "sg-graph");
    this.yasr.resultsEl.appendChild(root);
    var results = this.yasr.results;
    if (!this.canHandleResults() || typeof window.cytoscape !== "function") {
      root.appendChild(element("p", "sg-note", texts().graphNeeds || ""));
      return;
    }
    var all = results.getStatements();
    var statements = all.slice(0, MAX_TRIPLES);
    var language = document.documentElement.lang || "de";
    var graph = graphElements(statements, this.yasr.getPrefixes(), language);
    var summary = fill(texts().graphSummary, { nodes: graph.nodes.length, edges: graph.edges.length });
    if (all.length > statements.length) {
      summary = fill(texts().graphCapped, { shown: statements.length, total: all.length }) + " " + summary;
    }
    root.appendChild(element("p", "sg-note", summary));
    var canvas = element("div", "sg-graph-canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", summary);
    root.appendChild(canvas);
    this.destroy();
    // The explorer's look (explorer-graph.js) when it is loaded, else a plain one.
    var shared = window.StadtgraphGraph;
    if (shared) shared.register();
    var edgeLabels = graph.edges.length <= 40;
    var style = shared ? shared.style().concat(edgeLabels ? [{ selector: "edge", style: { label: "data(label)" } }] : [])
      : [
        { selector: "node", style: {
          label: "data(label)", "font-size": 11, "text-wrap": "ellipsis", "text-max-width": 140,
          "text-valign": "bottom", "text-margin-y": 4, color: "#1b1f24",
          "background-color": "#123a5e", width: 16, height: 16
        } },
        { selector: "edge", style: {
          label: edgeLabels ? "data(label)" : "", "font-size": 9, color: "#4a5560",
          "curve-style": "bezier", "target-arrow-shape": "triangle", "line-color": "#8fb0cf",
          "target-arrow-color": "#8fb0cf", width: 1.5, "text-rotation": "autorotate"
        } }
      ];
    var layout = shared ? shared.layoutOptions(graph.nodes.length > 150 ? "concentric" : "fcose")
      : { name: graph.nodes.length > 150 ? "concentric" : "cose", animate: false, padding: 30 };
    this.cy = window.cytoscape({
      container: canvas,
      elements: graph.nodes.concat(graph.edges),
      maxZoom: 1.5,
      style: style,
      layout: layout
    });
  };

  function register() {
    var Yasr = window.Yasgui && window.Yasgui.Yasr;
    if (!Yasr) return false;
    Yasr.registerPlugin("chart", ChartPlugin);
    Yasr.registerPlugin("graph", GraphPlugin);
    return true;
  }

  window.StadtgraphResults = { register: register, chartColumns: chartColumns, shortName: shortName };
})();
