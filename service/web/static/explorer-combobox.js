/* Stadtgraph explorer — a search field with suggestions from /api/search (WAI-ARIA APG
   "combobox with listbox popup"): arrow keys move, Enter chooses, Escape closes. Labels are
   data and only ever set as textContent. Exposes window.StadtgraphCombobox. */
(function () {
  "use strict";

  var DELAY = 150;

  /* input: the text field; options: its listbox; settings: { api, lang, limit, describe(hit)
     -> extra text, onInput(text), onChoose(hit) } */
  function Combobox(input, options, settings) {
    var hits = [];
    var active = -1;
    var timer = null;
    var pending = null;
    var self = this;
    this.chosen = null;

    function setActive(index) {
      active = index;
      Array.prototype.forEach.call(options.children, function (li, i) {
        li.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      if (index >= 0 && options.children[index]) {
        input.setAttribute("aria-activedescendant", options.children[index].id);
        options.children[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function close() {
      options.hidden = true;
      input.setAttribute("aria-expanded", "false");
      setActive(-1);
    }

    function choose(hit) {
      self.chosen = hit;
      input.value = hit.label;
      close();
      if (settings.onChoose) settings.onChoose(hit);
    }

    function render(found, message) {
      options.textContent = "";
      hits = found;
      found.forEach(function (hit, index) {
        var li = document.createElement("li");
        li.id = input.id + "-option-" + index;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        var name = document.createElement("span");
        name.className = "option-label";
        name.textContent = hit.label;
        li.appendChild(name);
        var kind = document.createElement("span");
        kind.className = "option-type";
        kind.textContent = [hit.kindLabel, settings.describe ? settings.describe(hit) : ""]
          .filter(Boolean).join(" · ");
        li.appendChild(kind);
        li.addEventListener("mousedown", function (event) { event.preventDefault(); });
        li.addEventListener("click", function () { choose(hit); });
        options.appendChild(li);
      });
      if (!found.length && message) {
        var none = document.createElement("li");
        none.setAttribute("role", "option");
        none.setAttribute("aria-disabled", "true");
        none.className = "message";
        none.textContent = message;
        options.appendChild(none);
      }
      setActive(-1);
      options.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function lookup(text) {
      if (pending) pending.abort();
      pending = new AbortController();
      var query = new URLSearchParams({ q: text, lang: settings.lang, limit: String(settings.limit || 8) });
      fetch(settings.api + "?" + query.toString(), { headers: { Accept: "application/json" }, signal: pending.signal })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          if (input.value.trim() !== text) return;
          render(data.results || [], settings.none);
        })
        .catch(function (error) {
          if (error && error.name === "AbortError") return;
          close();
        });
    }

    input.addEventListener("input", function () {
      var text = input.value.trim();
      self.chosen = null;
      if (settings.onInput) settings.onInput(text);
      window.clearTimeout(timer);
      if (!text) { options.textContent = ""; close(); return; }
      timer = window.setTimeout(function () { lookup(text); }, DELAY);
    });

    input.addEventListener("keydown", function (event) {
      var open = !options.hidden && hits.length;
      if (event.key === "ArrowDown" && open) {
        event.preventDefault();
        setActive((active + 1) % hits.length);
      } else if (event.key === "ArrowUp" && open) {
        event.preventDefault();
        setActive(active <= 0 ? hits.length - 1 : active - 1);
      } else if (event.key === "Enter" && open && active >= 0) {
        event.preventDefault();
        choose(hits[active]);
      } else if (event.key === "Escape") {
        close();
      }
    });

    input.addEventListener("blur", function () { window.setTimeout(close, 100); });

    /* The first suggestion for the current text (for Enter without choosing). */
    this.best = function () { return hits.length ? hits[0] : null; };
    this.close = close;
  }

  window.StadtgraphCombobox = Combobox;
})();
