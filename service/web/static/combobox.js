/* Stadtgraph — a search field with suggestions from /api/search (WAI-ARIA APG "combobox with
   listbox popup"), used by the home page and the explorer: arrow keys move, Enter chooses,
   Escape closes the list and, pressed again, empties the field. The markup comes from the
   `combobox` macro (templates/combobox.html): the field, its listbox (id + "-options") and a
   status element (role=status, id + "-status") that says how many suggestions came, or that
   none did, in the words of its data-results ("{count} …"), data-one, data-none and
   data-error. Labels are data and only ever set as textContent.
   Exposes window.StadtgraphCombobox. */
(function () {
  "use strict";

  var DELAY = 150;

  /* input: the text field; options: its listbox; settings: { api, lang, limit,
     describe(hit) -> extra text, onInput(text), onChoose(hit) }. A hit is one result of
     /api/search: {iri, label, kindLabel, matched, page, …}. */
  function Combobox(input, options, settings) {
    var hits = [];
    var active = -1;
    var timer = null;
    var pending = null;
    var repeat = null;
    var shownFor = null;  // the text the listed suggestions answer
    var self = this;
    var status = document.getElementById(input.id + "-status");
    var words = status ? status.dataset : {};
    this.chosen = null;

    function say(text) {
      window.clearTimeout(repeat);
      if (status) status.textContent = text || "";
    }

    /* The same words once more (ArrowDown on "no matches"): a live region speaks a change, so
       it is emptied first. */
    function sayAgain(text) {
      say("");
      repeat = window.setTimeout(function () { if (status) status.textContent = text; }, 100);
    }

    function counted(count) {
      if (!count) return words.none || "";
      if (count === 1 && words.one) return words.one;
      return String(words.results || "{count}").replace("{count}", String(count));
    }

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

    function labelOf(hit) {
      return String(hit.label || hit.matched || hit.iri);
    }

    function choose(hit) {
      self.chosen = hit;
      input.value = labelOf(hit);
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
        name.textContent = labelOf(hit);
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
      if (document.activeElement === input) open();  // not for a reader who has moved on
      say(counted(found.length));
    }

    function open() {
      if (!options.children.length) return;
      options.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function lookup(text) {
      if (pending) pending.abort();
      pending = new AbortController();
      var query = new URLSearchParams({ q: text, lang: settings.lang, limit: String(settings.limit || 8) });
      fetch(settings.api + "?" + query.toString(), { headers: { Accept: "application/json" }, signal: pending.signal })
        .then(function (response) {
          if (!response.ok) throw new Error("search answered " + response.status);
          return response.json();
        })
        .then(function (data) {
          if (input.value.trim() !== text) return;
          shownFor = text;
          render((data && data.results) || [], words.none);
        })
        .catch(function (error) {
          if (error && error.name === "AbortError") return;
          options.textContent = "";  // the last search's suggestions are not this one's
          hits = [];
          close();
          say(words.error);
        });
    }

    /* Stop what the last text started: its pending lookup and its timer. */
    function cancel() {
      window.clearTimeout(timer);
      if (pending) pending.abort();
    }

    function changed() {
      var text = input.value.trim();
      self.chosen = null;
      shownFor = null;  // the listed suggestions answer the text before this one
      setActive(-1);
      if (settings.onInput) settings.onInput(text);
      cancel();
      if (!text) {
        options.textContent = "";
        hits = [];
        close();
        say("");
        return;
      }
      timer = window.setTimeout(function () { lookup(text); }, DELAY);
    }

    input.addEventListener("input", changed);

    input.addEventListener("keydown", function (event) {
      var arrow = event.key === "ArrowDown" || event.key === "ArrowUp";
      if (arrow && options.children.length && shownFor === input.value.trim() && !event.altKey) {
        // A closed list opens again; with no hits, the reader hears that once more.
        event.preventDefault();
        open();
        if (!hits.length) sayAgain(counted(0));
        else if (event.key === "ArrowDown") setActive((active + 1) % hits.length);
        else setActive(active <= 0 ? hits.length - 1 : active - 1);
        return;
      }
      if (event.key === "Enter" && !options.hidden && hits.length && active >= 0) {
        event.preventDefault();
        choose(hits[active]);
      } else if (event.key === "Escape") {
        if (!options.hidden) {
          event.preventDefault();
          cancel();
          close();
        } else if (input.value) {
          event.preventDefault();
          input.value = "";
          changed();
        }
      }
    });

    input.addEventListener("blur", function () { window.setTimeout(close, 100); });
    input.addEventListener("focus", function () {
      if (hits.length && shownFor === input.value.trim()) open();
    });

    /* The first suggestion for the current text (for Enter without choosing); none while the
       suggestions shown answer an earlier text. */
    this.best = function () {
      return hits.length && shownFor === input.value.trim() ? hits[0] : null;
    };
    this.close = close;
  }

  window.StadtgraphCombobox = Combobox;
})();
