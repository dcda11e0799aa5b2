/*
 * Small enhancements for every page; the lightbox lives in lightbox.js, the video player in
 * gallery/js/player.js. Nothing here changes the page before it is used (no class on <html>
 * for instance, which would restyle the whole page right after its first paint).
 */
(function () {
  "use strict";

  // The home page's silent loop plays only where motion is welcome, and can always be paused.
  var video = document.querySelector("[data-hero-video]");
  var toggle = document.querySelector("[data-hero-toggle]");
  if (video && toggle) {
    var reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)");
    var label = function () {
      toggle.textContent = video.paused ? "Play video" : "Pause video";
    };
    video.addEventListener("play", label);
    video.addEventListener("pause", label);
    toggle.addEventListener("click", function () {
      if (video.paused) {
        video.play().catch(label);
      } else {
        video.pause();
      }
    });
    toggle.hidden = false;
    label();
    if (!reduceMotion.matches) {
      video.play().catch(label);
    }
  }

  // After a failed submission, take keyboard and screen reader users to the list of problems.
  var summary = document.getElementById("form-errors");
  if (summary) {
    summary.focus();
  }
})();
