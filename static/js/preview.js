// Shows a preview of an image chosen in a file input: <input type="file" data-preview="img-id">.
// The <img> is inside a hidden container (figure) that is revealed once a picture is chosen.
(function () {
  "use strict";

  document.querySelectorAll("input[type=file][data-preview]").forEach(function (input) {
    var img = document.getElementById(input.dataset.preview);
    if (!img) return;
    var box = img.closest("figure") || img;
    var lastUrl = null;

    input.addEventListener("change", function () {
      if (lastUrl) URL.revokeObjectURL(lastUrl);
      lastUrl = null;
      var file = input.files && input.files[0];
      if (!file || !/^image\//.test(file.type)) {
        box.hidden = true;
        return;
      }
      lastUrl = URL.createObjectURL(file);
      img.src = lastUrl;
      box.hidden = false;
    });
  });
})();
