// Boxes can be hidden to read a page unobstructed; hovering a field's row lights its box.
(function () {
  var toggle = document.getElementById("show-boxes");
  toggle.addEventListener("change", function () {
    document.body.classList.toggle("noboxes", !toggle.checked);
  });
  function light(ref, on) {
    document.querySelectorAll('[data-ref="' + ref + '"]').forEach(function (el) {
      el.classList.toggle("on", on);
    });
  }
  document.querySelectorAll("[data-ref]").forEach(function (el) {
    var ref = el.getAttribute("data-ref");
    el.addEventListener("mouseenter", function () { light(ref, true); });
    el.addEventListener("mouseleave", function () { light(ref, false); });
  });
})();
