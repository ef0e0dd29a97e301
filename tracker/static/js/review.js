// Progressive enhancement for the review editor: each row's "Or someone new"
// name box hides behind a "Someone new" choice in the row's person list.
// Without this script every box shows, and the page works the same.
(function () {
  "use strict";
  var form = document.getElementById("review-form");
  if (!form) { return; }
  Array.prototype.forEach.call(form.querySelectorAll("[data-new-name]"), function (box) {
    var input = box.querySelector("input");
    var selects = box.parentNode.querySelectorAll("select[data-who]");
    var select = selects[selects.length - 1];
    if (!select || !input) { return; }
    var option = document.createElement("option");
    option.value = "";  // "no change" to the server; the typed name then applies
    option.textContent = "Someone new (type their name)";
    select.appendChild(option);
    function sync() { box.hidden = select.value !== "" && !input.value; }
    select.addEventListener("change", function () {
      sync();
      if (select.value === "") { input.focus(); }
    });
    sync();
  });
})();
