vcl 4.1;
# Varnish 7.1 in front of the site's app servers (README, "Deploy").
#
# What it keeps: anonymous visitors' public pages (the app marks them
# `public, max-age=0, s-maxage=PAGE_CACHE_SECONDS`), public media and static files.
# What it never keeps: anything asked with a session or CSRF cookie or Authorization, the
# admin, /private/ (unlocking, signed video streams), every method but GET and HEAD, any
# response that sets a cookie, says private, no-store or no-cache, or names no lifetime.
# Privacy is decided by the app (showreels/privacy.py); this file only refuses to share
# what the app did not explicitly mark shareable.
#
# deploy/varnish.py writes the block between the BEGIN/END lines from the environment
# (VARNISH_BACKENDS, VARNISH_PROBE_HOST); as committed it names two app servers on
# 127.0.0.1:8001 and 127.0.0.1:8002.

import directors;
import std;

# BEGIN generated backends
probe healthz {
    .request =
        "GET /healthz/ HTTP/1.1"
        "Host: 127.0.0.1"
        "User-Agent: Varnish health probe"
        "Connection: close";
    .timeout = 2s;
    .interval = 1s;
    .window = 3;
    .threshold = 2;
    .initial = 2;
}

backend web1 {
    .host = "127.0.0.1";
    .port = "8001";
    .probe = healthz;
    .connect_timeout = 1s;
    .first_byte_timeout = 10s;
    .between_bytes_timeout = 10s;
}

backend web2 {
    .host = "127.0.0.1";
    .port = "8002";
    .probe = healthz;
    .connect_timeout = 1s;
    .first_byte_timeout = 10s;
    .between_bytes_timeout = 10s;
}

sub vcl_init {
    new app = directors.round_robin();
    app.add_backend(web1);
    app.add_backend(web2);
}
# END generated backends

# Who may purge: wagtail.contrib.frontend_cache's HTTPBackend, run by the app servers and
# the background worker on this machine (FRONTEND_CACHE_PURGE_URL).
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    set req.backend_hint = app.backend();
    unset req.http.X-Cache;

    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(405, "Purging is not allowed from this address"));
        }
        # Wagtail sends `PURGE <page path>` with the page's Host. Every host's copy of that
        # path goes, with its query-string variants (a film index's filters), so a page made
        # private is gone whatever name it was asked under. A path ending in `*` is a
        # prefix: `/media/*` drops every cached photo (bts_site.page_cache purges it with the
        # pages, so a photo of a page made private stops being served at once).
        if (req.url ~ "\*$") {
            ban("obj.http.x-url ~ ^" + regsuball(regsub(req.url, "\*$", ""),
                "([][.*+?^${}()|\\])", "\\\1"));
        } else {
            ban("obj.http.x-url ~ ^" + regsuball(regsub(req.url, "\?.*$", ""),
                "([][.*+?^${}()|\\])", "\\\1") + "(\?|$)");
        }
        return (synth(200, "Purged"));
    }

    if (req.method != "GET" && req.method != "HEAD") {
        # Form posts (unlocking, the contact form, the admin) and anything else.
        return (pass);
    }
    if (req.http.Authorization) {
        return (pass);
    }
    if (req.url ~ "^/(admin|private|_util)(/|$)") {
        return (pass);
    }
    if (req.url ~ "^/static/") {
        # The same bytes for everyone: cookies play no part.
        unset req.http.Cookie;
        return (hash);
    }
    if (req.http.Cookie ~ "(^|;\s*)(sessionid|csrftoken|messages)=") {
        # A producer who unlocked something, an editor, a form in progress: the app answers
        # for this visitor alone (its own page cache stays out of the way too).
        return (pass);
    }
    # Other cookies (analytics and the like) mean nothing to the app.
    unset req.http.Cookie;

    # While an app server answers, a page past its lifetime is served stale for at most
    # 10 s while a fresh one is fetched. With none answering, public pages are served stale
    # for up to the objects' grace (6 h) instead of an error.
    if (std.healthy(req.backend_hint)) {
        set req.grace = 10s;
    }
    return (hash);
}

sub vcl_hash {
    hash_data(req.url);
    if (req.http.host) {
        hash_data(std.tolower(req.http.host));
    } else {
        hash_data(server.ip);
    }
    return (lookup);
}

sub vcl_backend_fetch {
    if (bereq.url ~ "^/admin/") {
        # Publishing, uploads of photos and video masters take longer than a page.
        set bereq.first_byte_timeout = 300s;
        set bereq.between_bytes_timeout = 60s;
    }
}

sub vcl_backend_response {
    # For purges (bans on these headers, tested in the background by the ban lurker).
    set beresp.http.x-url = bereq.url;
    set beresp.http.x-host = bereq.http.host;

    if (bereq.uncacheable) {
        return (deliver);
    }
    if (beresp.status >= 500 && bereq.is_bgfetch) {
        # Keep serving the stale copy rather than replace it by an error.
        return (abandon);
    }
    if (beresp.http.Set-Cookie
        || beresp.http.Cache-Control ~ "(?i)(private|no-store|no-cache)"
        || beresp.http.Cache-Control !~ "(?i)(s-maxage|max-age)=[1-9]"
        || beresp.http.Vary == "*"
        || beresp.status >= 500) {
        # Not shareable: later requests for this URL go to the app (no request coalescing)
        # for a short while, then Varnish looks again.
        set beresp.uncacheable = true;
        set beresp.ttl = 10s;
        return (deliver);
    }
    set beresp.grace = 6h;
    return (deliver);
}

sub vcl_backend_error {
    if (bereq.is_bgfetch) {
        return (abandon);
    }
    if (bereq.retries == 0 && (bereq.method == "GET" || bereq.method == "HEAD")) {
        # An app server that just stopped (before the probes notice): the director picks
        # the next one. Never for a form post, which may have reached the first.
        return (retry);
    }
    set beresp.http.Content-Type = "text/html; charset=utf-8";
    set beresp.http.Cache-Control = "no-store";
    set beresp.http.Retry-After = "5";
    set beresp.status = 503;
    set beresp.reason = "Service Unavailable";
    set beresp.uncacheable = true;
    set beresp.ttl = 0s;
    call unavailable_page;
    return (deliver);
}

sub vcl_synth {
    # Answers to PURGE.
    set resp.http.Content-Type = "text/plain; charset=utf-8";
    set resp.http.Cache-Control = "no-store";
    set resp.body = resp.reason + {"
"};
    return (deliver);
}

sub vcl_deliver {
    if (obj.uncacheable) {
        set resp.http.X-Cache = "pass";
    } elsif (obj.hits > 0) {
        set resp.http.X-Cache = "hit";
    } else {
        set resp.http.X-Cache = "miss";
    }
    unset resp.http.x-url;
    unset resp.http.x-host;
    unset resp.http.Via;
    unset resp.http.X-Varnish;
}

# The site's look (site/templates/503.html), minimal and self-contained: shown when no app
# server answers and there is no stale copy to serve.
sub unavailable_page {
    synthetic({"<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="color-scheme" content="dark">
    <meta name="robots" content="noindex">
    <title>Back in a moment</title>
    <style>
      html { background: #0e0e0d; color: #ecebe6; }
      body { margin: 0; min-height: 100vh; display: grid; place-items: center; padding: 1.5rem; box-sizing: border-box;
        font: 1.0625rem/1.6 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
      main { max-width: 32rem; }
      p.code { margin: 0; color: #b3b0a7; font-size: .8125rem; letter-spacing: .12em; text-transform: uppercase; }
      h1 { margin: .5rem 0 1rem; font: 400 2rem/1.2 Georgia, "Times New Roman", serif; }
    </style>
  </head>
  <body>
    <main>
      <p class="code">Error 503</p>
      <h1>Back in a moment</h1>
      <p>The site is briefly unavailable. Nothing you sent was received: please try again in a few seconds.</p>
    </main>
  </body>
</html>
"});
}
