import ssl
import urllib.request


def open_feed(url):
    # ruleid: python-ssl-unverified-context
    ctx = ssl._create_unverified_context()
    # ok: python-ssl-unverified-context
    safe_ctx = ssl.create_default_context()
    with urllib.request.urlopen(url, context=safe_ctx) as resp:
        return resp.read(), ctx


def open_with_ca(url):
    # ok: python-ssl-unverified-context
    ctx = ssl.create_default_context(cafile="/etc/pki/internal-ca.pem")
    # ruleid: python-ssl-unverified-context
    return urllib.request.urlopen(url, context=ssl._create_unverified_context())


# ruleid: python-ssl-unverified-context
ssl._create_default_https_context = ssl._create_unverified_context
# ok: python-ssl-unverified-context
ssl._create_default_https_context = ssl.create_default_context
