// Counts one view of the article on this page, with no cookie and no identifier:
// a POST of the article's number and the referring site's domain, nothing else.
// Readers who ask not to be tracked (Do Not Track, Global Privacy Control) send nothing.
(function () {
  "use strict";
  var script = document.currentScript;
  var article = document.querySelector("[data-audience-article]");
  if (!script || !article || !navigator.sendBeacon) return;
  if (navigator.doNotTrack === "1" || window.doNotTrack === "1" || navigator.globalPrivacyControl === true) return;

  function send() {
    var data = new URLSearchParams();
    data.set("article", article.getAttribute("data-audience-article"));
    var domain = "";
    try {
      domain = document.referrer ? new URL(document.referrer).hostname : "";
    } catch (error) {
      domain = "";
    }
    if (domain && domain !== location.hostname) data.set("ref", domain);
    navigator.sendBeacon(script.getAttribute("data-endpoint"), data);
  }

  // A page the browser prerenders is counted only if the reader opens it.
  if (document.prerendering) {
    document.addEventListener("prerenderingchange", send, { once: true });
  } else {
    send();
  }
})();
