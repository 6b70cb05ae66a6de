// Like / skip buttons on track rows (forms marked data-feedback): sent with fetch, the page stays
// where it is; pressing a pressed button undoes the rating. Without JS the form posts and reloads.
(function () {
  "use strict";
  function show(form, rating) {
    form.querySelectorAll("button[data-rating]").forEach(function (button) {
      var pressed = button.dataset.rating === rating;
      button.setAttribute("aria-pressed", pressed ? "true" : "false");
      button.value = pressed ? "clear" : button.dataset.rating;
    });
  }
  document.querySelectorAll("form[data-feedback]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var button = event.submitter;
      if (!button || !window.fetch) return;
      event.preventDefault();
      var body = new FormData(form);
      body.set("rating", button.value);
      fetch(form.action, {method: "POST", body: body, credentials: "same-origin",
                          headers: {"X-Requested-With": "fetch"}})
        .then(function (response) { return response.json(); })
        .then(function (answer) {
          if (answer.error) { window.alert(answer.error); return; }
          show(form, answer.rating);
        })
        .catch(function () { form.submit(); });
    });
  });
})();
