/* Stadtgraph explorer — how the graph looks and is laid out (Cytoscape.js + fCoSE).
   Kinds have a colour and a shape each (shape too, so colour is never the only cue); the
   same colours fill the legend swatches. Exposes window.StadtgraphGraph. */
(function () {
  "use strict";

  /* kind: [fill colour, shape]; colours after Okabe–Ito, dark enough for white outlines. */
  var KINDS = {
    person: ["#b5487f", "ellipse"],
    post: ["#b5487f", "octagon"],
    enterprise: ["#c77c00", "round-rectangle"],
    group: ["#8a7a00", "ellipse"],
    unit: ["#0072b2", "round-rectangle"],
    organisation: ["#084a7a", "round-rectangle"],
    agent: ["#6b6b6b", "ellipse"],
    strategy: ["#d55e00", "diamond"],
    actionfield: ["#00845f", "hexagon"],
    project: ["#2a9d8f", "round-tag"],
    challenge: ["#7b5ea7", "round-tag"],
    topic: ["#3b8dc4", "round-tag"],
    statement: ["#8c8c8c", "rectangle"],
    question: ["#5c5c5c", "triangle"],
    document: ["#4d4d4d", "cut-rectangle"],
    meeting: ["#4d4d4d", "barrel"],
    service: ["#a6761d", "round-pentagon"],
    place: ["#6a8f2a", "vee"]
  };
  var GROUP_LINES = {
    involvement: ["#c0392b", "solid", 3],
    organisation: ["#0b4f8a", "solid", 2],
    strategy: ["#00845f", "solid", 2],
    source: ["#8c8c8c", "dashed", 1.5],
    place: ["#6a8f2a", "dotted", 1.5]
  };

  function colour(kind) { return (KINDS[kind] || ["#6b6b6b"])[0]; }

  function style() {
    var rules = [
      {
        selector: "node",
        style: {
          "label": "data(label)",
          "font-size": 11,
          "font-family": "system-ui, \"DejaVu Sans\", sans-serif",
          "color": "#1b1f24",
          "text-valign": "bottom",
          "text-halign": "center",
          "text-margin-y": 4,
          "text-wrap": "ellipsis",
          "text-max-width": 140,
          "text-outline-color": "#ffffff",
          "text-outline-width": 2,
          "min-zoomed-font-size": 7,
          "width": "mapData(degree, 1, 40, 18, 48)",
          "height": "mapData(degree, 1, 40, 18, 48)",
          "background-color": "#6b6b6b",
          "border-width": 1,
          "border-color": "#ffffff"
        }
      },
      {
        selector: "edge",
        style: {
          "width": 1.5,
          "line-color": "#9aa5b1",
          "target-arrow-color": "#9aa5b1",
          "target-arrow-shape": "triangle",
          "arrow-scale": 0.8,
          "curve-style": "bezier",
          "label": "",
          "font-size": 9,
          "text-rotation": "autorotate",
          "text-outline-color": "#ffffff",
          "text-outline-width": 2
        }
      }
    ];
    Object.keys(KINDS).forEach(function (kind) {
      rules.push({
        selector: "node[kind = \"" + kind + "\"]",
        style: { "background-color": KINDS[kind][0], "shape": KINDS[kind][1] }
      });
    });
    Object.keys(GROUP_LINES).forEach(function (group) {
      var line = GROUP_LINES[group];
      rules.push({
        selector: "edge[group = \"" + group + "\"]",
        style: { "line-color": line[0], "target-arrow-color": line[0], "line-style": line[1], "width": line[2] }
      });
    });
    rules.push(
      { selector: "node.focus", style: { "border-width": 4, "border-color": "#1b1f24", "font-weight": "bold" } },
      { selector: "node:selected", style: { "border-width": 5, "border-color": "#ffd23f", "font-weight": "bold", "z-index": 20 } },
      { selector: "edge:selected", style: { "width": 4, "label": "data(label)", "z-index": 20 } },
      { selector: "edge.hover", style: { "label": "data(label)" } },
      { selector: ".faded", style: { "opacity": 0.18, "text-opacity": 0.4 } },
      { selector: "node.match", style: { "border-width": 5, "border-color": "#ffd23f", "z-index": 15 } },
      { selector: "node.path", style: { "border-width": 5, "border-color": "#c0392b", "z-index": 15 } },
      { selector: "edge.path", style: { "width": 5, "line-color": "#c0392b", "target-arrow-color": "#c0392b", "label": "data(label)", "z-index": 15 } },
      /* Large views: no labels but on what one looks at, straight edges without arrows, so
         that drawing 2,000 nodes stays quick (measuring label text is the costly part). */
      /* Landmarks: the most connected nodes keep a readable label however far one zooms out
         (explorer.js sizes it to the zoom), so the whole graph is never a labelless cloud. */
      { selector: "node.landmark", style: { "font-weight": "bold", "z-index": 12 } },
      { selector: "node.quiet", style: { "label": "" } },
      { selector: "node.quiet:selected, node.quiet.match, node.quiet.path, node.quiet.focus, node.quiet.hover, node.quiet.landmark", style: { "label": "data(label)" } },
      { selector: "edge.quiet", style: { "curve-style": "haystack", "target-arrow-shape": "none", "haystack-radius": 0 } }
    );
    return rules;
  }

  function register() {
    if (window.cytoscapeFcose && !register.done) {
      window.cytoscape.use(window.cytoscapeFcose);
      register.done = true;
    }
  }

  /* Options for a layout by name; root is the node a tree or rings start from. */
  function layoutOptions(name, root, fixedNew) {
    var common = { animate: false, fit: false, padding: 30 };
    if (name === "preset") return Object.assign({ name: "preset" }, common);
    if (name === "concentric") {
      return Object.assign({
        name: "concentric",
        concentric: function (node) { return root && node.id() === root ? 1e6 : node.degree(); },
        levelWidth: function () { return 3; },
        minNodeSpacing: 18
      }, common);
    }
    if (name === "breadthfirst") {
      return Object.assign({
        name: "breadthfirst", directed: false, spacingFactor: 1.1,
        roots: root ? [root] : undefined
      }, common);
    }
    if (!window.cytoscapeFcose) return Object.assign({ name: "cose" }, common);
    return Object.assign({
      name: "fcose",
      quality: "default",
      randomize: !fixedNew,
      nodeDimensionsIncludeLabels: true,
      idealEdgeLength: 70,
      nodeRepulsion: 6500,
      numIter: 2500,
      seed: 42
    }, common);
  }

  /* Put nodes without a position on a ring around `centre` (for views too big to re-layout). */
  function ringAround(cy, centre, nodes) {
    var c = centre.position();
    var radius = 60 + nodes.length * 4;
    nodes.forEach(function (node, i) {
      var angle = (2 * Math.PI * i) / Math.max(nodes.length, 1);
      node.position({ x: c.x + radius * Math.cos(angle), y: c.y + radius * Math.sin(angle) });
    });
  }

  /* Give element definitions without a position distinct starting places on a spiral
     around `centre`, so that no two nodes overlap before the layout runs. */
  function seed(definitions, centre) {
    var c = centre || { x: 0, y: 0 };
    var i = 0;
    definitions.forEach(function (definition) {
      if (definition.position) return;
      i += 1;
      var radius = 40 * Math.sqrt(i);
      var angle = i * 2.399963;
      definition.position = { x: c.x + radius * Math.cos(angle), y: c.y + radius * Math.sin(angle) };
    });
    return definitions;
  }

  window.StadtgraphGraph = {
    seed: seed,
    KINDS: KINDS,
    colour: colour,
    style: style,
    register: register,
    layoutOptions: layoutOptions,
    ringAround: ringAround
  };
})();
