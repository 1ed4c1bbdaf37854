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
