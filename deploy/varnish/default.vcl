vcl 4.1;

# Varnish 7.1 in front of the blog (Debian packages: varnish, varnish-modules).
#
#     TLS terminator (nginx, hitch) -> Varnish -> gunicorn (Django)
#
# What Django promises and this file relies on:
# - Public pages for anonymous readers answer "Cache-Control: public, max-age=0,
#   s-maxage=N" with an ETag; Varnish keeps them N seconds, browsers revalidate.
# - They name what they show in an "xkey" header ("site article-12 ..."). After a
#   write, Django sends "PURGE /" with "xkey-purge: <keys>" to each address in
#   HTTP_CACHE_PURGE_URLS; the key "site" empties the whole site.
# - Per-reader answers (logged-in users, pending messages, forms, the admin)
#   say "private, no-store" or set a cookie, and are never stored.
#
# The TLS terminator sets X-Forwarded-Proto: https, which Varnish passes on as
# it is (Django trusts it with DJANGO_SECURE_PROXY_SSL_HEADER=true). Varnish
# appends the address it got the request from to X-Forwarded-For: behind nginx
# (which sets that header itself) Django counts DJANGO_TRUSTED_PROXY_COUNT=2;
# behind hitch, speaking the PROXY protocol ("-a 127.0.0.1:6086,PROXY"),
# Varnish sees the reader's own address and the count is 1. Varnish listens
# only where the terminator and the app servers reach it (loopback or a
# private network), never on a public address: a client reaching it directly
# could claim HTTPS.
#
# This file is a template: the operator edits the backend address and, if
# needed, the purge ACL and the admin path below. The test suite starts its
# own varnishd with this same file, replacing only the backend port "8000".
#
# Run it (the Debian service reads /etc/varnish/default.vcl), for example:
#     varnishd -F -a 127.0.0.1:6081 -f /path/to/default.vcl -s malloc,256m
# As root, Debian's varnishd drops privileges to the "varnish" and "vcache"
# users, which must be able to read this file; "-j none" keeps it as the
# invoking user instead.

import std;
import xkey;

# Gunicorn. Several app servers: declare one backend each and spread requests
# with the "directors" vmod (round_robin); they must share Django's cache
# (CACHE_URL=redis://...).
backend default {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 5s;
    .first_byte_timeout = 60s;
}

# Who may purge: the app servers (they send the PURGE requests). Add their
# addresses when they run on other machines.
acl purgers {
    "localhost";
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        # A request relayed by a proxy (the TLS terminator on this host comes
        # from 127.0.0.1 too) arrives with an X-Forwarded-For header of its
        # own, to which Varnish appended one more address: refuse it, so that
        # readers cannot purge through the public entrance.
        if (client.ip !~ purgers || req.http.X-Forwarded-For ~ ",") {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "Missing xkey-purge header"));
        }
        set req.http.X-Purged = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.X-Purged));
    }

    # POST and the other writes go to Django as they came, cookies and all.
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }

    # Parameters that sharing adds to links do not change the page (Django drops
    # them too, see IGNORED_QUERY_PARAMETERS): a shared link is the same object.
    if (req.url ~ "[?&](utm_|mc_|fbclid|gclid|dclid|msclkid|twclid|igshid)") {
        set req.url = regsuball(
            req.url,
            "(?<=[?&])(utm_[^=&]*|mc_[^=&]*|fbclid|gclid|dclid|msclkid|twclid|igshid)(=[^&]*)?(&|$)",
            ""
        );
        set req.url = regsub(req.url, "[?&]+$", "");
    }

    # The admin (change this if DJANGO_ADMIN_URL is set) and the comment
    # endpoints (posting, confirming, the form's fresh security fields) are
    # never served from the cache. The comment feeds are public pages.
    if (req.url ~ "^/admin/" ||
        (req.url ~ "^/commentaires/" && req.url !~ "^/commentaires/flux/")) {
        return (pass);
    }

    # HTTP/2 clients may send several Cookie headers: look at them all at once.
    std.collect(req.http.Cookie, "; ");
    # A logged-in user (sessionid) or a reader with a message waiting (messages)
    # sees a page of their own.
    if (req.http.Cookie ~ "(^|;\s*)(sessionid|messages)=") {
        return (pass);
    }
    # Any other cookie (csrftoken, analytics) does not change a public page.
    unset req.http.Cookie;
    # Varnish's built-in vcl_recv follows: it passes requests that carry an
    # Authorization header and looks everything else up in the cache.
}

sub vcl_hash {
    # A plain-HTTP request gets Django's redirect to HTTPS, never the page.
    hash_data(req.http.X-Forwarded-Proto);
    # The built-in vcl_hash follows: the URL and the Host.
}

sub vcl_backend_response {
    # The lifetime comes from Django's s-maxage (Varnish prefers it to max-age).
    # A response that says nothing about caching is not stored, rather than
    # kept for Varnish's default 120 s.
    if (!beresp.http.Cache-Control && !beresp.http.Expires) {
        set beresp.ttl = 0s;
    }
    # Short: a purged page is fetched again at once; this only covers the
    # moment an expired page is being fetched again.
    set beresp.grace = 10s;
    # The built-in vcl_backend_response follows and stores nothing that sets a
    # cookie or says private, no-cache or no-store (nor a zero lifetime).
}

sub vcl_deliver {
    # For whoever checks a page: HIT (from the cache), MISS (fetched, now
    # stored) or PASS (fetched, and not to be stored: private or passed).
    if (obj.uncacheable) {
        set resp.http.X-Cache = "PASS";
    } elsif (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    # Surrogate keys are for caches, not readers. Cache-Tag is meant for a CDN
    # (which strips it itself); with Varnish at the edge it goes too.
    unset resp.http.xkey;
    unset resp.http.Surrogate-Key;
    unset resp.http.Cache-Tag;
}
