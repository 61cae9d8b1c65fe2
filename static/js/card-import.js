// Card import page: drag and drop onto the file field, and show the chosen name.
// The form works without this script (a plain file input).
(function () {
  "use strict";

  function setup(zone) {
    var input = zone.querySelector("input[type=file]");
    var name = zone.querySelector("[data-dropzone-name]");
    if (!input) return;

    function showName() {
      var file = input.files && input.files[0];
      if (!name) return;
      name.hidden = !file;
      name.textContent = file ? file.name + " · " + Math.max(1, Math.round(file.size / 1024)) + " KB" : "";
      if (file) {
        // A new file: the last attempt's errors no longer apply to it.
        var errors = document.getElementById("card-import-errors");
        if (errors) errors.hidden = true;
        var field = zone.closest(".field");
        if (field) field.classList.remove("field--error");
      }
    }

    ["dragenter", "dragover"].forEach(function (type) {
      zone.addEventListener(type, function (event) {
        event.preventDefault();
        zone.classList.add("is-over");
      });
    });
    ["dragleave", "dragend", "drop"].forEach(function (type) {
      zone.addEventListener(type, function () { zone.classList.remove("is-over"); });
    });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      var files = event.dataTransfer && event.dataTransfer.files;
      if (!files || !files.length) return;
      try {
        var transfer = new DataTransfer();
        transfer.items.add(files[0]);
        input.files = transfer.files;
      } catch (e) {
        input.files = files;
      }
      showName();
    });
    input.addEventListener("change", showName);
    showName();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-dropzone]").forEach(setup);
    var form = document.querySelector("[data-card-import]");
    if (form) {
      form.addEventListener("submit", function () {
        var button = form.querySelector("[data-import-submit]");
        if (button) { button.disabled = true; button.textContent = "Importing…"; }
      });
    }
  });
})();
