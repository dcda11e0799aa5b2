"""Who is asking: the client address as seen through the configured proxies."""

import hashlib
import hmac
import ipaddress

from django.conf import settings


def client_ip(request):
    """The client's IP address. X-Forwarded-For is read only when a proxy is configured."""
    depth = getattr(settings, "FORWARDED_FOR_DEPTH", 0)
    if depth:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= depth:
            candidate = hops[-depth]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                pass
    return request.META.get("REMOTE_ADDR", "") or "0.0.0.0"  # noqa: S104 - not a bind address


def client_key(request):
    """A stable, non-reversible key for the client, for rate limits."""
    digest = hmac.new(settings.SECRET_KEY.encode(), client_ip(request).encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


def ip_prefix(request):
    """Roughly where a request came from: the /24 of an IPv4 address, the /48 of IPv6."""
    try:
        address = ipaddress.ip_address(client_ip(request))
    except ValueError:
        return "unknown"
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


def user_agent(request):
    return request.META.get("HTTP_USER_AGENT", "")[:300]
