/* Embedded videos: the card becomes the provider's player only when the reader asks.
   Until the click, the page asks the provider nothing; without this script the
   "Play" link opens the player itself. Players come only from the origins the
   page's Content-Security-Policy allows in frames (data-origins). */
(function () {
  "use strict";
  var script = document.currentScript;
  var origins = ((script && script.getAttribute("data-origins")) || "").split(" ").filter(Boolean);

  function play(link) {
    var card = link.closest(".embed");
    var address;
    try {
      address = new URL(link.href);
    } catch (error) {
      return false;
    }
    if (!card || address.protocol !== "https:" || origins.indexOf(address.origin) === -1) {
      return false;
    }
    var title = card.querySelector(".embed__title");
    var frame = document.createElement("iframe");
    frame.className = "embed__player";
    frame.src = address.href;
    frame.title = title ? title.textContent : link.textContent;
    frame.setAttribute("allow", "autoplay; encrypted-media; fullscreen; picture-in-picture");
    frame.setAttribute("allowfullscreen", "");
    frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
    var picture = card.querySelector(".embed__thumbnail");
    if (picture) {
      picture.replaceWith(frame);
    } else {
      card.insertBefore(frame, card.firstChild);
    }
    card.classList.add("embed--playing");
    link.remove();
    frame.focus();
    return true;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.embed__play");
    if (link && !event.defaultPrevented && event.button === 0 && !event.ctrlKey && !event.metaKey &&
        !event.shiftKey && play(link)) {
      event.preventDefault();
    }
  });
})();
