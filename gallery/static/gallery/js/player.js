/*
 * The video player: adaptive HLS through hls.js (or the browser's own HLS), a Quality and a
 * Captions menu, and private screenings that fetch only what is watched.
 *
 * Progressive enhancement: without JavaScript the <video> plays the MP4 fallback with the
 * browser's controls. Until a visitor reaches for the player (points at it, touches it,
 * tabs to it or plays it) only the poster loads: hls.js (120 KB, data-hls-script), the
 * master playlist and the scrubbing sprite come then, so a page read without playing its
 * video never downloads or runs them. hls.js fetches nothing more until the first play.
 * hls.js API: https://github.com/video-dev/hls.js/blob/master/docs/API.md
 */
(function () {
  "use strict";

  // The template adds this script once per player; the first copy sets up every player.
  if (window.btsPlayer) {
    return;
  }
  window.btsPlayer = true;

  var HLS_MIME = "application/vnd.apple.mpegurl";
  var MESSAGES = {
    private:
      "Your access to this screening has ended or changed. Reload the page to enter your pass again.",
    public: "The video could not be loaded. Reload the page to try again.",
    fullscreen: "Full screen is not available for this screening on this device.",
    fullscreenButton: "For this screening, use the Full screen button under the video.",
  };

  function fullscreenElement() {
    return document.fullscreenElement || document.webkitFullscreenElement || null;
  }

  function requestFullscreen(element) {
    var request = element.requestFullscreen || element.webkitRequestFullscreen;
    var result = request ? request.call(element) : null;
    return result && result.then ? result : Promise.resolve();
  }

  function exitFullscreen() {
    var exit = document.exitFullscreen || document.webkitExitFullscreen;
    var result = exit ? exit.call(document) : null;
    return result && result.then ? result : Promise.resolve();
  }

  function canFullscreen(element) {
    return Boolean(
      (document.fullscreenEnabled || document.webkitFullscreenEnabled) &&
        (element.requestFullscreen || element.webkitRequestFullscreen)
    );
  }

  // The codecs of every rung (H.264 and AAC), as Hls.isSupported() asks for them: the choice
  // between hls.js and the MP4 is made before hls.js itself is loaded.
  var HLS_JS_CODECS = 'video/mp4; codecs="avc1.42E01E,mp4a.40.2"';
  var hlsJsLoading = null;

  function mediaSourceCanPlay() {
    var MediaSource = window.MediaSource || window.WebKitMediaSource;
    return Boolean(
      MediaSource &&
        typeof MediaSource.isTypeSupported === "function" &&
        MediaSource.isTypeSupported(HLS_JS_CODECS)
    );
  }

  // hls.js, added to the page once, the first time any player needs it.
  function loadHlsJs(src) {
    if (window.Hls) {
      return Promise.resolve(window.Hls);
    }
    if (!hlsJsLoading) {
      hlsJsLoading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = src;
        script.onload = function () {
          if (window.Hls) {
            resolve(window.Hls);
          } else {
            reject(new Error("hls.js did not load"));
          }
        };
        script.onerror = function () {
          hlsJsLoading = null;
          reject(new Error("hls.js did not load"));
        };
        document.head.appendChild(script);
      });
    }
    return hlsJsLoading;
  }

  // The first sign that a visitor means to watch: a pointer over the player, a touch, the
  // keyboard's focus, or a play (the browser's own control, or a script's).
  function whenReachedFor(player, video, callback) {
    var signs = ["pointerenter", "pointerdown", "touchstart", "focusin"];
    var reached = false;
    function reach() {
      if (reached) {
        return;
      }
      reached = true;
      signs.forEach(function (name) {
        player.removeEventListener(name, reach);
      });
      video.removeEventListener("play", reach);
      callback();
    }
    signs.forEach(function (name) {
      player.addEventListener(name, reach, { passive: true });
    });
    video.addEventListener("play", reach);
  }

  // "url 960w, url 1600w" into [{url, width}], narrowest first.
  function parseSrcset(text) {
    return (text || "")
      .split(",")
      .map(function (candidate) {
        var parts = candidate.trim().split(/\s+/);
        return { url: parts[0], width: parseInt(parts[1], 10) || 0 };
      })
      .filter(function (candidate) {
        return candidate.url && candidate.width;
      })
      .sort(function (a, b) {
        return a.width - b.width;
      });
  }

  // The poster attribute has no srcset: the page names a phone-sized poster for a player on
  // its first screen and a small stand-in for one further down (gallery_tags.video_poster).
  // As the player comes into view, the poster that fills its width on this screen replaces
  // it (the IntersectionObserver gives the width without asking for a layout).
  function sharpenPoster(player, video) {
    var candidates = parseSrcset(player.dataset.posterSrcset);
    var shown = candidates.filter(function (candidate) {
      return candidate.url === video.getAttribute("poster");
    })[0];
    if (!shown || shown === candidates[candidates.length - 1] || !window.IntersectionObserver) {
      return;
    }
    var observer = new IntersectionObserver(function (entries) {
      var entry = entries[entries.length - 1];
      if (!entry.isIntersecting) {
        return;
      }
      observer.disconnect();
      var needed = entry.boundingClientRect.width * (window.devicePixelRatio || 1);
      if (needed <= shown.width) {
        return;
      }
      var larger = candidates.filter(function (candidate) {
        return candidate.width > shown.width;
      });
      var fitting = larger.filter(function (candidate) {
        return candidate.width >= needed;
      })[0];
      video.poster = (fitting || larger[larger.length - 1]).url;
    });
    observer.observe(video);
  }

  // "720p" for a 1280×720 level and for a 720×1280 one, as the rungs are named.
  function levelName(level) {
    var side = Math.min(level.width || 0, level.height || 0) || level.height;
    return side ? side + "p" : Math.round(level.bitrate / 1000) + " kbit/s";
  }

  // The scrubbing thumbnails: "start --> end" then "sprite.jpg#xywh=x,y,w,h" per cue.
  function parseThumbnails(text) {
    var cues = [];
    var blocks = text.replace(/\r/g, "").split(/\n\n+/);
    blocks.forEach(function (block) {
      var match = block.match(
        /([\d:.]+)\s+-->\s+([\d:.]+)[^\n]*\n[^\n]*#xywh=(\d+),(\d+),(\d+),(\d+)/
      );
      if (match) {
        cues.push({
          start: seconds(match[1]),
          end: seconds(match[2]),
          x: +match[3],
          y: +match[4],
          w: +match[5],
          h: +match[6],
        });
      }
    });
    return cues;
  }

  function seconds(stamp) {
    return stamp.split(":").reduce(function (total, part) {
      return total * 60 + parseFloat(part);
    }, 0);
  }

  function setUp(player) {
    var video = player.querySelector(".player__video");
    if (!video || player.dataset.state) {
      return;
    }
    player.dataset.state = "loading";

    var source = video.querySelector("source");
    var controls = player.querySelector(".player__controls");
    var quality = player.querySelector("[data-player-quality]");
    var captions = player.querySelector("[data-player-captions]");
    var fullscreenButton = player.querySelector("[data-player-fullscreen]");
    var notice = player.querySelector(".player__notice");
    var mark = player.querySelector(".player__mark");
    var isPrivate = player.hasAttribute("data-private");
    // Set when a private player's segments come from object storage by presigned URLs: the
    // player reports each segment it loaded there, and fetches its playlist again (checked
    // by the site) when their URLs have expired.
    var watchedUrl = player.dataset.watched || "";
    var hlsUrl = player.dataset.hls;
    var segmentSeconds = parseFloat(player.dataset.segmentSeconds) || 4;
    var hls = null;
    var started = false;
    var failed = false;

    // An empty live region in the accessibility tree, so that a message put in later is read.
    notice.hidden = false;

    function fail() {
      if (failed) {
        return;
      }
      failed = true;
      // Back to the poster, without a play button that could only fail again.
      video.pause();
      video.controls = false;
      if (hls) {
        hls.destroy();
      } else {
        video.removeAttribute("src");
        if (source) {
          source.remove();
        }
        video.load();
      }
      player.dataset.state = "error";
      notice.textContent = (isPrivate ? MESSAGES.private : MESSAGES.public) + " ";
      var reload = document.createElement("button");
      reload.type = "button";
      reload.className = "player__button";
      reload.textContent = "Reload the page";
      reload.addEventListener("click", function () {
        window.location.reload();
      });
      notice.appendChild(reload);
      controls.hidden = true;
    }

    function ready() {
      player.dataset.state = "ready";
    }

    // Captions ---------------------------------------------------------------------------

    function showCaptions(index) {
      for (var i = 0; i < video.textTracks.length; i++) {
        video.textTracks[i].mode = i === index ? "showing" : "disabled";
      }
    }

    function syncCaptions() {
      var showing = -1;
      for (var i = 0; i < video.textTracks.length; i++) {
        if (video.textTracks[i].mode === "showing") {
          showing = i;
        }
      }
      captions.value = String(showing);
    }

    if (captions) {
      captions.addEventListener("change", function () {
        showCaptions(parseInt(captions.value, 10));
      });
      // The browser's own captions menu changes the same tracks.
      video.textTracks.addEventListener("change", syncCaptions);
      syncCaptions();
    }

    // Scrubbing preview: the sprite tile of the time being sought, until the frame arrives.

    var sprite = new Image();
    var preview = null;
    var thumbnails = null;

    function loadSprite() {
      if (player.dataset.sprite && !sprite.src) {
        sprite.src = player.dataset.sprite;
      }
    }

    function loadThumbnails() {
      if (thumbnails || !player.dataset.thumbnails || !window.fetch) {
        return;
      }
      thumbnails = [];
      fetch(player.dataset.thumbnails, { credentials: "same-origin" })
        .then(function (response) {
          return response.ok ? response.text() : "";
        })
        .then(function (text) {
          thumbnails = parseThumbnails(text);
        })
        .catch(function () {});
    }

    function showPreview() {
      var time = video.currentTime;
      var cue = (thumbnails || []).filter(function (item) {
        return time >= item.start && time < item.end;
      })[0];
      if (!cue || !sprite.complete || !sprite.naturalWidth) {
        return;
      }
      if (!preview) {
        preview = document.createElement("div");
        preview.className = "player__preview";
        preview.setAttribute("aria-hidden", "true");
        player.querySelector(".player__frame").appendChild(preview);
      }
      preview.style.width = cue.w + "px";
      preview.style.height = cue.h + "px";
      // The sprite's own URL (it may carry a token that a URL taken from the VTT would lose).
      preview.style.backgroundImage = 'url("' + sprite.src + '")';
      preview.style.backgroundPosition = -cue.x + "px " + -cue.y + "px";
      preview.hidden = false;
    }

    function hidePreview() {
      if (preview) {
        preview.hidden = true;
      }
    }

    video.addEventListener("seeking", showPreview);
    video.addEventListener("seeked", hidePreview);
    video.addEventListener("playing", hidePreview);

    // Full screen: the wrapper goes full screen, so that the screening mark stays on top. ---

    // Set here, not in the template: the HTML standard (and the W3C checker) knows neither
    // controlslist nor disablepictureinpicture.
    if (video.controlsList && video.controlsList.supports("nodownload")) {
      video.controlsList.add("nodownload");
    }
    if (isPrivate) {
      // A private screening stays in this page: no picture in picture, no casting.
      video.disablePictureInPicture = true;
      video.disableRemotePlayback = true;
    }
    if (mark) {
      // The video's own full screen would lose the mark.
      if (video.width && video.height) {
        player.style.setProperty("--ratio", video.width + " / " + video.height);
      }
      if (fullscreenButton) {
        fullscreenButton.hidden = !canFullscreen(player);
      }
      if (canFullscreen(player)) {
        if (video.controlsList && video.controlsList.supports("nofullscreen")) {
          video.controlsList.add("nofullscreen");
        }
        if (fullscreenButton) {
          fullscreenButton.addEventListener("click", function () {
            if (fullscreenElement() === player) {
              exitFullscreen();
            } else {
              requestFullscreen(player).catch(function () {});
            }
          });
        }
      }
      var onFullscreenChange = function () {
        var current = fullscreenElement();
        if (fullscreenButton) {
          fullscreenButton.textContent = current === player ? "Exit full screen" : "Full screen";
        }
        if (current === video) {
          // The browser's own button (where it cannot be hidden) took the bare video. The
          // wrapper's request may be refused, the click that allowed one being used up.
          exitFullscreen()
            .then(function () {
              return requestFullscreen(player);
            })
            .catch(function () {
              notice.textContent = MESSAGES.fullscreenButton;
            });
        }
      };
      document.addEventListener("fullscreenchange", onFullscreenChange);
      document.addEventListener("webkitfullscreenchange", onFullscreenChange);
      // iPhone: only the bare video can go full screen, without the mark.
      video.addEventListener("webkitbeginfullscreen", function () {
        if (video.webkitExitFullscreen) {
          video.webkitExitFullscreen();
        }
        notice.textContent = MESSAGES.fullscreen;
      });
    }

    // Sources ---------------------------------------------------------------------------

    video.addEventListener("play", loadThumbnails, { once: true });

    // hls.js wherever the browser has Media Source Extensions, even where it also claims
    // HLS of its own (recent Chrome does): only hls.js gives the Quality menu, the small
    // buffer of private screenings and the HTTP status of a refused segment. The iPhone has
    // no MediaSource (only ManagedMediaSource, which wants AirPlay handled) and plays HLS
    // itself.
    function attachHls(Hls) {
      var config = {
        autoStartLoad: false,
        startLevel: -1,
        // Start from the bandwidth estimate (a modest default before anything was measured)
        // rather than fetching a first segment only to time it and throw it away: on a slow
        // link that test doubled the wait for the first frame.
        testBandwidth: false,
        capLevelToPlayerSize: true,
      };
      if (isPrivate) {
        // About one segment ahead of the playhead: what the server saw fetched is what was
        // watched. hls.js buffers up to min(max(maxBufferSize / bitrate, maxBufferLength),
        // maxMaxBufferLength) seconds, so the ceiling is what holds the buffer to a segment.
        config.maxBufferLength = segmentSeconds;
        config.maxMaxBufferLength = segmentSeconds;
        config.backBufferLength = Infinity;
      }
      // A private stream from object storage names its segments by presigned URLs that live
      // a minute or so (their X-Amz-Expires): before one is fetched past its lifetime, the
      // rung's playlist is fetched again (the site checks access then) and the segment is
      // asked for by its fresh URL. Refused, the screening ends.
      var signedPlaylists = {}; // rung -> {at: when its URLs were issued (ms), urls: {name: URL}}
      var renewing = {}; // rung -> promise of its fresh playlist
      var renewedAt = 0;

      function rungOf(url) {
        var match = /\/([^/?]+)\/index\.m3u8/.exec(url || "");
        return match ? match[1] : null;
      }

      function renewPlaylist(rung) {
        if (!renewing[rung]) {
          var playlist = new URL(rung + "/index.m3u8", new URL(hlsUrl, window.location.href));
          renewing[rung] = fetch(playlist.href, {
            credentials: "same-origin",
          })
            .then(function (response) {
              if (!response.ok) {
                throw new Error("refused");
              }
              return response.text();
            })
            .then(function (text) {
              var urls = {};
              text.split("\n").forEach(function (line) {
                var name = /^[^#][^?]*\/(segment-\d+\.ts)\?/.exec(line.trim());
                if (name) {
                  urls[name[1]] = line.trim();
                }
              });
              signedPlaylists[rung] = { at: Date.now(), urls: urls };
            })
            .finally(function () {
              delete renewing[rung];
            });
        }
        return renewing[rung];
      }

      if (watchedUrl) {
        config.xhrSetup = function (xhr, url) {
          var match = /\/([^/?]+)\/(segment-\d+\.ts)\?.*X-Amz-Expires=(\d+)/.exec(url);
          var known = match && signedPlaylists[match[1]];
          if (!known) {
            return undefined;
          }
          // Renewed a little before they expire: a quarter of their life, at most 5 s.
          var lifetime = match[3] * 1000;
          if (Date.now() - known.at < lifetime - Math.min(5000, lifetime / 4)) {
            var fresh = known.urls[match[2]];
            if (fresh && fresh !== url) {
              xhr.open("GET", fresh, true);
            }
            return undefined;
          }
          return renewPlaylist(match[1]).then(
            function () {
              xhr.open("GET", signedPlaylists[match[1]].urls[match[2]] || url, true);
            },
            fail
          );
        };
      }
      hls = new Hls(config);
      video._hls = hls;
      var parsed = false;
      var loadStarted = false;

      // Segments load from the first play on, once hls.js knows the levels.
      function startLoading(position) {
        if (parsed) {
          loadStarted = true;
          hls.startLoad(position);
        }
      }
      var recovered = false;

      function reportSegment(frag) {
        var match = /segment-(\d+)\.ts/.exec(frag.url || "");
        var segment = match ? parseInt(match[1], 10) : frag.sn;
        if (typeof segment !== "number" || isNaN(segment)) {
          return;
        }
        var body = new URLSearchParams({ segment: String(segment) });
        if (!(navigator.sendBeacon && navigator.sendBeacon(watchedUrl, body)) && window.fetch) {
          fetch(watchedUrl, {
            method: "POST",
            body: body,
            credentials: "same-origin",
            keepalive: true,
          }).catch(function () {});
        }
      }

      if (watchedUrl) {
        hls.on(Hls.Events.LEVEL_LOADED, function (event, data) {
          var rung = rungOf(data.details && data.details.url);
          if (rung) {
            signedPlaylists[rung] = { at: Date.now(), urls: {} };
          }
        });
        hls.on(Hls.Events.FRAG_LOADED, function (event, data) {
          if (data.frag && data.frag.type === "main") {
            reportSegment(data.frag);
          }
        });
      }

      // The levels hls.js can play, in its order; a choice made before they came stays.
      hls.on(Hls.Events.MANIFEST_PARSED, function () {
        var chosen = parseInt(quality.value, 10);
        quality.textContent = "";
        quality.appendChild(new Option("Auto", "-1"));
        hls.levels.forEach(function (level, index) {
          quality.appendChild(new Option(levelName(level), String(index)));
        });
        quality.value = chosen < hls.levels.length ? String(chosen) : "-1";
        chooseLevel();
        var first = !parsed;
        parsed = true;
        ready();
        if (first && started && !video.paused) {
          // Played before the playlist came (a play that also fetched hls.js).
          startLoading(video.currentTime || -1);
        }
      });

      hls.on(Hls.Events.LEVEL_SWITCHED, function (event, data) {
        var level = hls.levels[data.level];
        quality.options[0].text =
          hls.autoLevelEnabled && level ? "Auto (" + levelName(level) + ")" : "Auto";
      });

      hls.on(Hls.Events.ERROR, function (event, data) {
        var status = data.response && data.response.code;
        var ErrorTypes = Hls.ErrorTypes;
        var refused = data.type === ErrorTypes.NETWORK_ERROR && (status === 403 || status === 404);
        if (watchedUrl && data.details === Hls.ErrorDetails.FRAG_LOAD_ERROR && !failed) {
          // From the bucket: a URL that expired all the same (a computer put to sleep) answers
          // 403, or no status without CORS headers. Its playlist again, once in a while;
          // whether access still holds is the playlist's answer.
          if (Date.now() - renewedAt < 10000) {
            fail();
            return;
          }
          renewedAt = Date.now();
          Object.keys(signedPlaylists).forEach(function (rung) {
            signedPlaylists[rung].at = 0;
          });
          hls.startLoad(video.currentTime);
          return;
        }
        // A private stream refuses every file alike once the pass no longer opens it. hls.js
        // takes a refused segment as a non-fatal error and tries the other qualities in turn,
        // again and again, so the screening ends at the first refusal, not at a fatal error.
        if (refused && (data.fatal || isPrivate)) {
          fail();
          return;
        }
        if (!data.fatal) {
          return;
        }
        if (!recovered && data.type === ErrorTypes.MEDIA_ERROR) {
          recovered = true;
          hls.recoverMediaError();
        } else if (!recovered && data.type === ErrorTypes.NETWORK_ERROR && hls.levels.length) {
          recovered = true;
          hls.startLoad(video.currentTime);
        } else {
          fail();
        }
      });

      function chooseLevel() {
        var level = parseInt(quality.value, 10);
        if (!hls.levels.length) {
          return; // applied when the manifest is parsed
        }
        if (loadStarted) {
          hls.currentLevel = level; // switch now, dropping what was buffered at the old one
        } else {
          hls.startLevel = level;
          hls.loadLevel = level;
        }
        if (level !== -1) {
          quality.options[0].text = "Auto";
        }
      }
      quality.addEventListener("change", chooseLevel);

      function onPlay() {
        if (failed) {
          return;
        }
        if (!started) {
          started = true;
          startLoading(video.currentTime || -1);
        } else if (isPrivate) {
          startLoading(video.currentTime);
        }
      }
      video.addEventListener("play", onPlay);
      if (isPrivate) {
        video.addEventListener("pause", function () {
          if (started && !video.ended) {
            hls.stopLoad();
          }
        });
      }

      hls.loadSource(hlsUrl);
      hls.attachMedia(video);
      if (!video.paused) {
        onPlay();
      }
    }

    // The MP4 fallback as the template gave it; the browser chooses nothing more.
    function useMp4() {
      quality.closest(".player__control").hidden = true;
      if (source) {
        source.addEventListener("error", fail);
      }
      video.addEventListener("error", fail);
      ready();
      showControls();
    }

    // hls.js did not come (or cannot play here): the MP4 after all, played if a play was
    // waiting for hls.js.
    function playMp4Instead() {
      var wanted = !video.paused;
      if (source) {
        video.appendChild(source);
      }
      useMp4();
      video.load();
      if (wanted) {
        video.play().catch(function () {});
      }
    }

    var useHlsJs = Boolean(hlsUrl && player.dataset.hlsScript && mediaSourceCanPlay());
    if (useHlsJs) {
      // Out before anything can play it, and forgotten by the element (which may already
      // have chosen it while parsing): a play() before hls.js has come waits for it.
      if (source) {
        source.remove();
        video.load();
      }
      whenReachedFor(player, video, function () {
        loadSprite();
        loadHlsJs(player.dataset.hlsScript)
          .then(function (Hls) {
            if (!Hls.isSupported()) {
              throw new Error("hls.js cannot play here");
            }
            return Hls;
          })
          .then(attachHls, playMp4Instead);
      });
    } else if (hlsUrl && video.canPlayType(HLS_MIME)) {
      // The iPhone plays HLS itself, with its own choice of quality.
      if (source) {
        source.remove();
      }
      quality.closest(".player__control").hidden = true;
      video.addEventListener("error", fail);
      // A private stream from object storage: the playlists under relay/ name segments on
      // the site (checked, counted, sent on to the bucket), as the iPhone never fetches a
      // playlist again once its presigned URLs would have expired.
      video.src = watchedUrl ? hlsUrl.replace(/master\.m3u8$/, "relay/master.m3u8") : hlsUrl;
      ready();
    } else {
      useMp4();
    }
    if (!useHlsJs) {
      whenReachedFor(player, video, loadSprite);
    }

    // The row has had its room since the page was drawn; it becomes visible now (data-state
    // is set), or goes where none of its controls applies.
    function showControls() {
      var shown = Array.prototype.filter.call(controls.children, function (child) {
        return !child.hidden;
      });
      controls.hidden = failed || shown.length === 0;
    }
    showControls();
    sharpenPoster(player, video);
  }

  function setUpAll() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-player]"), setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpAll);
  } else {
    setUpAll();
  }
})();
