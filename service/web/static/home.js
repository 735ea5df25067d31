/* The home page search: a search field with suggestions (combobox.js) over German and English
   labels; choosing one opens the resource's page. Enter without a chosen suggestion, and the
   form without JavaScript, search in the explorer. */
(function () {
  "use strict";

  var form = document.getElementById("home-search");
  var input = document.getElementById("search-input");
  if (!form || !input || !window.fetch || !window.StadtgraphCombobox) return;

  new window.StadtgraphCombobox(input, document.getElementById("search-input-options"), {
    api: form.dataset.api,
    lang: form.dataset.lang || "de",
    limit: 8,
    /* The label is in the page's language; `matched` is the label the text was found in. */
    describe: function (hit) {
      return hit.label && hit.matched && hit.matched !== hit.label ? String(hit.matched) : "";
    },
    onChoose: function (hit) {
      if (hit.page) window.location.assign(hit.page);
    }
  });
})();
