// The mandate form's quick choices: a button ticks the sites of its group.
document.querySelectorAll("[data-select-sites]").forEach(function (button) {
  "use strict";
  button.addEventListener("click", function () {
    var ids = button.getAttribute("data-select-sites").split(",");
    document.querySelectorAll('input[name="targets"]').forEach(function (box) { box.checked = ids.indexOf(box.value) >= 0; });
  });
});
