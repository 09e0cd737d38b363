// Light/night switch: Anki marks night mode with the nightMode class on the card.
(function () {
  var buttons = document.querySelectorAll(".modes button");
  function setMode(mode) {
    var night = mode === "night";
    document.documentElement.classList.toggle("night", night);
    document.querySelectorAll(".card-host").forEach(function (host) {
      // Anki marks night mode on <html> (night-mode) and on the card's <body> (nightMode, night_mode).
      host.classList.toggle("night-mode", night);
      var card = host.shadowRoot && host.shadowRoot.querySelector(".card");
      if (card) { card.classList.toggle("nightMode", night); card.classList.toggle("night_mode", night); }
    });
    buttons.forEach(function (b) { b.setAttribute("aria-pressed", String(b.dataset.mode === mode)); });
  }
  buttons.forEach(function (b) { b.addEventListener("click", function () { setMode(b.dataset.mode); }); });
  var wanted = location.hash === "#night" || (location.hash !== "#light" &&
    window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches);
  setMode(wanted ? "night" : "light");
})();
