/* The home page search: an editable combobox with a list of suggestions (WAI-ARIA APG
   "combobox with listbox popup"). Suggestions come from this site's /api/search, over
   German and English labels; each opens the resource's page. Labels are data, so they are
   only ever set as textContent. Without JavaScript the form submits to the explorer. */
(function () {
  "use strict";

  var form = document.getElementById("home-search");
  var input = document.getElementById("search-input");
  var list = document.getElementById("search-options");
  var status = document.getElementById("search-status");
  if (!form || !input || !list || !window.fetch) return;

  var DELAY = 150;
  var LIMIT = 8;
  var options = [];
  var active = -1;
  var timer = null;
  var pending = null;
  var lastQuery = "";

  function say(text) {
    status.textContent = text;
  }

  function fill(template, count) {
    return String(template || "").replace("{count}", String(count));
  }

  function setActive(index) {
    options.forEach(function (option, i) {
      option.element.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    active = index;
    if (index >= 0 && options[index]) {
      input.setAttribute("aria-activedescendant", options[index].element.id);
      options[index].element.scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    setActive(-1);
  }

  function open() {
    if (!list.children.length) return;
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  function go(option) {
    if (option && option.href) window.location.assign(option.href);
  }

  /* One result of /api/search: {iri, label, kind, kindLabel, page, matched, ...}. The label is
     in the page language; `matched` is the label (any language) the text was found in. */
  function readHit(hit) {
    if (!hit || !hit.page) return null;
    var label = String(hit.label || hit.matched || hit.iri);
    var details = hit.kindLabel ? [String(hit.kindLabel)] : [];
    if (hit.matched && hit.matched !== label) details.push(String(hit.matched));
    return { label: label, kind: details.join(" · "), href: String(hit.page) };
  }

  function render(hits) {
    list.textContent = "";
    options = [];
    hits.forEach(function (hit, index) {
      var element = document.createElement("li");
      element.id = "search-option-" + index;
      element.setAttribute("role", "option");
      element.setAttribute("aria-selected", "false");
      var name = document.createElement("span");
      name.className = "option-label";
      name.textContent = hit.label;
      element.appendChild(name);
      if (hit.kind) {
        var kind = document.createElement("span");
        kind.className = "option-type";
        kind.textContent = hit.kind;
        element.appendChild(kind);
      }
      var option = { element: element, href: hit.href };
      element.addEventListener("mousedown", function (event) { event.preventDefault(); });
      element.addEventListener("click", function () { go(option); });
      list.appendChild(element);
      options.push(option);
    });
    if (!hits.length) {
      var none = document.createElement("li");
      none.className = "message";
      none.setAttribute("role", "option");
      none.setAttribute("aria-disabled", "true");
      none.textContent = form.dataset.none;
      list.appendChild(none);
    }
    setActive(-1);
    open();
    say(hits.length ? fill(form.dataset.results, hits.length) : form.dataset.none);
  }

  function search(query) {
    if (pending) pending.abort();
    pending = window.AbortController ? new AbortController() : null;
    var params = new URLSearchParams({ q: query, lang: form.dataset.lang || "de", limit: String(LIMIT) });
    fetch(form.dataset.api + "?" + params.toString(), {
      headers: { Accept: "application/json" },
      signal: pending ? pending.signal : undefined
    })
      .then(function (response) {
        if (!response.ok) throw new Error("search answered " + response.status);
        return response.json();
      })
      .then(function (data) {
        if (query !== lastQuery) return;
        var hits = (data && data.results) || [];
        render(hits.map(readHit).filter(Boolean).slice(0, LIMIT));
      })
      .catch(function (error) {
        if (error && error.name === "AbortError") return;
        list.textContent = "";
        options = [];
        close();
        say(form.dataset.error);
      });
  }

  input.addEventListener("input", function () {
    var query = input.value.trim();
    lastQuery = query;
    window.clearTimeout(timer);
    if (!query) {
      if (pending) pending.abort();
      list.textContent = "";
      options = [];
      close();
      say("");
      return;
    }
    timer = window.setTimeout(function () { search(query); }, DELAY);
  });

  input.addEventListener("keydown", function (event) {
    var count = options.length;
    switch (event.key) {
      case "ArrowDown":
        if (list.hidden) { open(); }
        if (count) setActive(active < count - 1 ? active + 1 : 0);
        event.preventDefault();
        break;
      case "ArrowUp":
        if (list.hidden) { open(); }
        if (count) setActive(active > 0 ? active - 1 : count - 1);
        event.preventDefault();
        break;
      case "Enter":
        if (!list.hidden && active >= 0 && options[active]) {
          event.preventDefault();
          go(options[active]);
        }
        break;
      case "Escape":
        if (!list.hidden) {
          close();
        } else {
          input.value = "";
          lastQuery = "";
          say("");
        }
        event.preventDefault();
        break;
      case "Tab":
        close();
        break;
      default:
        break;
    }
  });

  input.addEventListener("blur", function () {
    window.setTimeout(close, 150);
  });
  input.addEventListener("focus", function () {
    if (options.length && input.value.trim() === lastQuery) open();
  });
})();
