/*
 * Full-screen viewer for backstage galleries.
 *
 * Each gallery ([data-gallery]) holds links (a[href][data-photo]) to a large rendition of
 * its photos, so without JavaScript a photo still opens on its own. With it, the link opens
 * a modal dialog that moves through that gallery only: arrow keys, swipes or the buttons,
 * Escape or the close button to leave, and focus goes back to the photo it came from.
 */
(function () {
  "use strict";

  // Each gallery adds this script; the first copy sets up every gallery on the page.
  if (window.btsLightbox) {
    return;
  }
  window.btsLightbox = true;

  var SWIPE_DISTANCE = 50;
  var galleries = document.querySelectorAll("[data-gallery]");
  if (!galleries.length) {
    return;
  }

  var hasDialog = typeof HTMLDialogElement === "function" && "showModal" in HTMLDialogElement.prototype;
  var ICONS = {
    prev: '<path d="M15 5l-7 7 7 7"/>',
    next: '<path d="M9 5l7 7-7 7"/>',
    close: '<path d="M6 6l12 12M18 6L6 18"/>'
  };

  var state = { items: [], index: 0, opener: null, open: false, announcement: "" };
  var ui = null;

  function make(tag, className, attrs) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    Object.keys(attrs || {}).forEach(function (name) {
      node.setAttribute(name, attrs[name]);
    });
    return node;
  }

  function iconButton(kind, label) {
    var button = make("button", "lightbox__button lightbox__button--" + kind, {
      type: "button",
      "aria-label": label
    });
    button.innerHTML =
      '<svg viewBox="0 0 24 24" width="28" height="28" aria-hidden="true" focusable="false" ' +
      'fill="none" stroke="currentColor" stroke-width="1.75" stroke-linecap="round" ' +
      'stroke-linejoin="round">' + ICONS[kind] + "</svg>";
    return button;
  }

  function build() {
    var dialog = make("dialog", "lightbox", { "aria-label": "Photo viewer" });
    if (!hasDialog) {
      dialog.setAttribute("role", "dialog");
      dialog.setAttribute("aria-modal", "true");
    }
    var figure = make("figure", "lightbox__figure");
    var stage = make("div", "lightbox__stage");
    var image = make("img", "lightbox__image", { alt: "", decoding: "async" });
    var caption = make("figcaption", "lightbox__caption");
    var counter = make("span", "lightbox__counter", { "aria-hidden": "true" });
    var captionText = make("span", "lightbox__caption-text");
    var credit = make("span", "lightbox__credit");
    var live = make("p", "visually-hidden", { "aria-live": "polite", "aria-atomic": "true" });
    var close = iconButton("close", "Close photo viewer");
    var prev = iconButton("prev", "Previous photo");
    var next = iconButton("next", "Next photo");

    stage.appendChild(image);
    caption.appendChild(counter);
    caption.appendChild(captionText);
    caption.appendChild(credit);
    figure.appendChild(stage);
    figure.appendChild(caption);
    dialog.appendChild(figure);
    dialog.appendChild(prev);
    dialog.appendChild(next);
    dialog.appendChild(close);
    dialog.appendChild(live);
    document.body.appendChild(dialog);

    close.addEventListener("click", hide);
    prev.addEventListener("click", function () { step(-1); });
    next.addEventListener("click", function () { step(1); });
    dialog.addEventListener("keydown", onKeydown);
    dialog.addEventListener("close", restore);
    dialog.addEventListener("cancel", function (event) {
      event.preventDefault();
      hide();
    });
    dialog.addEventListener("click", function (event) {
      if (event.target === dialog || event.target === figure || event.target === stage) {
        hide();
      }
    });
    image.addEventListener("load", function () {
      image.classList.remove("is-loading");
    });

    var touch = null;
    stage.addEventListener("touchstart", function (event) {
      if (event.touches.length === 1) {
        touch = { x: event.touches[0].clientX, y: event.touches[0].clientY };
      }
    }, { passive: true });
    stage.addEventListener("touchend", function (event) {
      if (!touch || !event.changedTouches.length) {
        return;
      }
      var dx = event.changedTouches[0].clientX - touch.x;
      var dy = event.changedTouches[0].clientY - touch.y;
      touch = null;
      if (Math.abs(dx) > SWIPE_DISTANCE && Math.abs(dx) > Math.abs(dy) * 1.5) {
        step(dx < 0 ? 1 : -1);
      }
    }, { passive: true });

    return {
      dialog: dialog, image: image, counter: counter, captionText: captionText,
      credit: credit, live: live, close: close, prev: prev, next: next
    };
  }

  // What the viewer shows of a photo, read from the gallery's own markup: the link to the
  // large file, the thumbnail's alt text, the caption and credit under it (or the credit
  // every photo of the gallery shares).
  // The caption is the figcaption's own text; the credit is in its .gallery__credit.
  var ITEMS = "a[href][data-photo]";

  function captionText(figure) {
    var figcaption = figure && figure.querySelector("figcaption");
    if (!figcaption) {
      return "";
    }
    return Array.prototype.filter.call(figcaption.childNodes, function (node) {
      return node.nodeType === Node.TEXT_NODE;
    }).map(function (node) {
      return node.textContent;
    }).join("").trim();
  }

  function describe(item) {
    var figure = item.closest("figure");
    var gallery = item.closest("[data-gallery]");
    var image = item.querySelector("img");
    var text = function (root, selector) {
      var found = root && root.querySelector(selector);
      return found ? found.textContent.trim() : "";
    };
    return {
      src: item.getAttribute("href"),
      alt: image ? image.getAttribute("alt") || "" : "",
      caption: captionText(figure),
      credit: text(figure, ".gallery__credit") || (gallery && gallery.getAttribute("data-credit")) || ""
    };
  }

  function show(index) {
    var count = state.items.length;
    state.index = (index + count) % count;
    var photo = describe(state.items[state.index]);
    var position = "Photo " + (state.index + 1) + " of " + count;

    if (ui.image.getAttribute("src") !== photo.src) {
      ui.image.classList.add("is-loading");
      ui.image.setAttribute("src", photo.src);
    }
    ui.image.setAttribute("alt", photo.alt);
    ui.counter.textContent = (state.index + 1) + " / " + count;
    ui.captionText.textContent = photo.caption;
    ui.credit.textContent = photo.credit;
    state.announcement = [position, photo.caption, photo.credit].filter(Boolean).join(". ");
    ui.live.textContent = state.announcement;
    preload(state.index + 1);
    preload(state.index - 1);
  }

  function preload(index) {
    var count = state.items.length;
    if (count > 1) {
      new Image().src = state.items[(index + count) % count].getAttribute("href");
    }
  }

  function step(direction) {
    if (state.open && state.items.length > 1) {
      show(state.index + direction);
    }
  }

  function open(gallery, item) {
    if (!ui) {
      ui = build();
    }
    state.items = Array.prototype.slice.call(gallery.querySelectorAll(ITEMS));
    state.opener = item;
    state.open = true;
    var single = state.items.length < 2;
    ui.prev.hidden = single;
    ui.next.hidden = single;
    ui.live.textContent = "";
    document.documentElement.classList.add("has-lightbox");
    if (hasDialog) {
      ui.dialog.showModal();
    } else {
      ui.dialog.setAttribute("open", "");
    }
    show(state.items.indexOf(item));
    ui.close.focus();
    // Filled again once the dialog itself has been announced, so the position is read too.
    ui.live.textContent = "";
    window.setTimeout(function () {
      if (state.open) {
        ui.live.textContent = state.announcement;
      }
    }, 150);
  }

  function hide() {
    if (!state.open) {
      return;
    }
    if (hasDialog) {
      ui.dialog.close();
    } else {
      ui.dialog.removeAttribute("open");
      restore();
    }
  }

  function restore() {
    if (!state.open) {
      return;
    }
    state.open = false;
    document.documentElement.classList.remove("has-lightbox");
    ui.live.textContent = "";
    if (state.opener) {
      state.opener.focus();
    }
  }

  function focusable() {
    return [ui.prev, ui.next, ui.close].filter(function (button) { return !button.hidden; })
      .sort(function (a, b) {
        return a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
      });
  }

  function onKeydown(event) {
    switch (event.key) {
      case "ArrowLeft":
        event.preventDefault();
        step(-1);
        break;
      case "ArrowRight":
        event.preventDefault();
        step(1);
        break;
      case "Home":
        event.preventDefault();
        show(0);
        break;
      case "End":
        event.preventDefault();
        show(state.items.length - 1);
        break;
      case "Escape":
        event.preventDefault();
        hide();
        break;
      case "Tab": {
        var buttons = focusable();
        var first = buttons[0];
        var last = buttons[buttons.length - 1];
        if (event.shiftKey && (document.activeElement === first || !ui.dialog.contains(document.activeElement))) {
          event.preventDefault();
          last.focus();
        } else if (!event.shiftKey && document.activeElement === last) {
          event.preventDefault();
          first.focus();
        }
        break;
      }
      default:
        break;
    }
  }

  document.addEventListener("click", function (event) {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey ||
        event.shiftKey || event.altKey) {
      return;
    }
    var item = event.target.closest(ITEMS);
    var gallery = item && item.closest("[data-gallery]");
    if (!gallery) {
      return;
    }
    event.preventDefault();
    open(gallery, item);
  });

  Array.prototype.forEach.call(galleries, function (gallery) {
    gallery.classList.add("has-viewer");
    Array.prototype.forEach.call(gallery.querySelectorAll(ITEMS), function (item) {
      item.setAttribute("aria-haspopup", "dialog");
    });
  });

  // A link to one photo (#photo-<id>, as search results give): scroll to it and open it.
  function openLinkedPhoto() {
    var match = /^#photo-(\d+)$/.exec(window.location.hash);
    if (!match) {
      return;
    }
    var item = document.querySelector('[data-gallery] [data-photo="' + match[1] + '"]');
    if (!item) {
      return;
    }
    item.scrollIntoView({ block: "center" });
    if (item.hasAttribute("href")) {
      open(item.closest("[data-gallery]"), item);
    }
  }

  openLinkedPhoto();
  window.addEventListener("hashchange", openLinkedPhoto);
})();
