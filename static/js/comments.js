/* Comments: "Reply" moves the comment form under the comment, without reloading.
   Without this script the same links reload the page with the form in place. */
(function () {
  "use strict";

  var form = document.getElementById("comment-form");
  var home = document.getElementById("comment-form-home");
  if (!form || !home) {
    return;
  }
  var replyField = form.querySelector("input[name='reply_to']");
  var title = form.querySelector("[data-form-title]");
  var cancel = form.querySelector("[data-cancel-reply]");
  var newTitle = title ? title.getAttribute("data-new-title") : "";

  // A shared page's form has no signed timestamp nor token: ask for this reader's.
  // Without this script, posting shows the comment again to confirm it.
  var fieldsUrl = form.getAttribute("data-fields-url");
  var timestamp = form.querySelector("input[name='timestamp']");
  if (fieldsUrl && timestamp && !timestamp.value) {
    fetch(fieldsUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (fields) {
        if (!fields) {
          return;
        }
        Object.keys(fields).forEach(function (name) {
          if (!fields[name]) {
            return;
          }
          var input = form.querySelector("input[name='" + name + "']");
          if (!input) {
            input = document.createElement("input");
            input.type = "hidden";
            input.name = name;
            form.insertBefore(input, form.firstChild);
          }
          input.value = fields[name];
        });
      })
      .catch(function () {
        // Offline or refused: the form still posts, and asks to confirm.
      });
  }

  function focusText() {
    var text = form.querySelector("textarea");
    if (text) {
      text.focus();
    }
  }

  function openReply(link) {
    var comment = document.getElementById("c" + link.getAttribute("data-reply-to"));
    if (!comment) {
      return false;
    }
    var body = comment.querySelector(".comment__body");
    body.insertAdjacentElement("afterend", form);
    replyField.value = link.getAttribute("data-reply-to");
    if (title) {
      title.textContent = link.getAttribute("data-reply-title");
    }
    if (cancel) {
      cancel.hidden = false;
    }
    focusText();
    return true;
  }

  function closeReply() {
    home.appendChild(form);
    replyField.value = "0";
    if (title) {
      title.textContent = newTitle;
    }
    if (cancel) {
      cancel.hidden = true;
    }
    focusText();
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-reply-to]");
    if (link && openReply(link)) {
      event.preventDefault();
      return;
    }
    if (event.target.closest("[data-cancel-reply]")) {
      event.preventDefault();
      closeReply();
    }
  });
})();
