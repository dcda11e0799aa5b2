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


def axes_client_ip(request):
    """django-axes' view of the client (AXES_CLIENT_IP_CALLABLE): the address that names
    its network, so that the hosts of one IPv6 /64 share one limit."""
    return client_network(request).split("/")[0]


def _keyed(value):
    digest = hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


def client_key(request):
    """A stable, non-reversible key for the client's address, for rate limits."""
    return _keyed(client_ip(request))


def client_network(request):
    """The network one client controls: its IPv4 address, or the /64 of its IPv6 address
    (a single host is routinely given a whole /64)."""
    try:
        address = ipaddress.ip_address(client_ip(request))
    except ValueError:
        return "unknown"
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    prefix = 32 if address.version == 4 else 64
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


def network_key(request):
    """A stable, non-reversible key for the client's network, for rate limits."""
    return _keyed(client_network(request))


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
